import { createEnvelope, decodeEnvelope, encodeEnvelope, fieldsToRecord } from './envelope';
import { runInMessageContext } from './message-context';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/;

describe('envelopes', () => {
  const now = new Date('2026-11-22T10:00:00.000Z');

  it('starts a new correlation and trace outside a handler', () => {
    const envelope = createEnvelope('order.placed', { a: 1 }, 'orders', { now });
    expect(envelope.id).toMatch(UUID);
    expect(envelope.meta).toEqual({
      traceparent: expect.stringMatching(TRACEPARENT),
      correlationId: envelope.id,
      causationId: null,
      origin: 'orders',
      occurredAt: '2026-11-22T10:00:00.000Z',
    });
  });

  it('continues the correlation and trace of the message being handled, naming it as the cause', () => {
    const parent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const envelope = runInMessageContext({ messageId: 'm-1', correlationId: 'c-1', traceparent: parent }, () =>
      createEnvelope('wallet.charge', {}, 'orders', {
        now,
        replyTo: 'ficus:rep:orders:i1',
        deadline: new Date('2026-11-22T10:00:05.000Z'),
      }),
    );
    expect(envelope.meta).toMatchObject({
      correlationId: 'c-1',
      causationId: 'm-1',
      replyTo: 'ficus:rep:orders:i1',
      deadline: '2026-11-22T10:00:05.000Z',
    });
    expect(envelope.meta.traceparent).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
    expect(envelope.meta.traceparent).not.toBe(parent);
  });

  it('round-trips through the entry fields', () => {
    const envelope = createEnvelope('stock.adjusted', { delta: -2, note: 'ü' }, 'inventory', { now });
    const fields = encodeEnvelope(envelope);
    expect(fields.filter((_, i) => i % 2 === 0)).toEqual(['id', 'pattern', 'data', 'meta']);
    expect(decodeEnvelope(fieldsToRecord(fields))).toEqual({ ok: true, envelope });
  });

  it('stores undefined data as null', () => {
    const envelope = createEnvelope('x', undefined, 'o', { now });
    expect(fieldsToRecord(encodeEnvelope(envelope)).data).toBe('null');
  });

  const valid = fieldsToRecord(encodeEnvelope(createEnvelope('p', 1, 'o', { now })));
  it.each([
    ['no id', { ...valid, id: '' }, 'the entry has no id field'],
    ['no pattern', { ...valid, pattern: '' }, 'the entry has no pattern field'],
    ['data that is not JSON', { ...valid, data: '{' }, 'the data field is missing or not JSON'],
    ['meta that is not an object', { ...valid, meta: '"x"' }, 'the meta field is missing or not a JSON object'],
    [
      'meta without origin',
      { ...valid, meta: JSON.stringify({ correlationId: 'c', occurredAt: 'x' }) },
      'meta lacks correlationId, origin or occurredAt',
    ],
    [
      'a deadline that is not a date',
      { ...valid, meta: JSON.stringify({ ...JSON.parse(valid.meta as string), deadline: 'soon' }) },
      'meta.deadline is not a date',
    ],
  ])('refuses an entry with %s', (_case, record, reason) => {
    expect(decodeEnvelope(record as Record<string, string>)).toEqual({ ok: false, reason });
  });

  it('replaces a malformed traceparent with a new trace', () => {
    const meta = { ...JSON.parse(valid.meta as string), traceparent: 'garbage' };
    const decoded = decodeEnvelope({ ...valid, meta: JSON.stringify(meta) });
    expect(decoded.ok && decoded.envelope.meta.traceparent).toMatch(TRACEPARENT);
  });
});
