import { ReserveStock } from '@app/contracts';
import type { ReservationStatus } from '../reservation.entity';
import { decideForeignOrderLine, foreignCancellationStatus, withReservedItem } from './foreign-orders.decision';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

describe('decideForeignOrderLine', () => {
  it.each<[string, ReservationStatus | null, { record: boolean; reply: boolean; putBack: boolean }]>([
    ['a new reservation: a reserved line', null, { record: true, reply: true, putBack: false }],
    [
      'a reserved one (another product came first): one more line',
      'RESERVED',
      { record: true, reply: true, putBack: false },
    ],
    [
      'one the other side cancelled first: recorded as released, the other side puts it back',
      'CANCELLED',
      { record: true, reply: true, putBack: false },
    ],
    [
      'one released here before the line arrived: put back here at once',
      'RELEASED',
      { record: true, reply: true, putBack: true },
    ],
    [
      'one closed here (released before anything arrived): put back at once, no reply',
      'CLOSED',
      { record: true, reply: false, putBack: true },
    ],
    ['one rejected to the saga: left as it is', 'REJECTED', { record: false, reply: false, putBack: false }],
  ])('%s', (_case, previous, expected) => {
    expect(decideForeignOrderLine(previous, false)).toEqual(expected);
  });

  it.each<ReservationStatus | null>([null, 'RESERVED', 'CANCELLED', 'RELEASED', 'CLOSED', 'REJECTED'])(
    'leaves a line already there as it is (%s)',
    (previous) => {
      expect(decideForeignOrderLine(previous, true)).toEqual({ record: false, reply: false, putBack: false });
    },
  );
});

describe('foreignCancellationStatus', () => {
  it.each<[ReservationStatus | null, ReservationStatus]>([
    [null, 'CANCELLED'],
    ['RESERVED', 'CANCELLED'],
    ['CANCELLED', 'CANCELLED'],
    ['RELEASED', 'RELEASED'],
    ['CLOSED', 'CLOSED'],
    ['REJECTED', 'REJECTED'],
  ])('%s becomes %s', (previous, expected) => {
    expect(foreignCancellationStatus(previous)).toBe(expected);
  });
});

describe('withReservedItem', () => {
  it('starts a RESERVED reply, valid by the contract', () => {
    const reply = withReservedItem(null, { productId: A, quantity: 2, stock: 8 });

    const parsed: unknown = JSON.parse(reply);
    expect(parsed).toEqual({ status: 'RESERVED', items: [{ productId: A, quantity: 2, stock: 8 }] });
    expect(ReserveStock.replySchema.safeParse(parsed).success).toBe(true);
  });

  it('adds an item after those already reserved', () => {
    const first = withReservedItem(null, { productId: B, quantity: 1, stock: 0 });

    expect(JSON.parse(withReservedItem(first, { productId: A, quantity: 3, stock: 7 }))).toEqual({
      status: 'RESERVED',
      items: [
        { productId: B, quantity: 1, stock: 0 },
        { productId: A, quantity: 3, stock: 7 },
      ],
    });
  });
});
