import { Subject, of, throwError } from 'rxjs';
import { ReplyPacket, writeReplies } from './reply-writer';

function recorder() {
  const packets: ReplyPacket[] = [];
  return { packets, write: async (packet: ReplyPacket) => void packets.push(packet) };
}

describe('writeReplies', () => {
  it('writes a single value as one final reply', async () => {
    const { packets, write } = recorder();
    await writeReplies(of(42), write);
    expect(packets).toEqual([{ response: 42, isDisposed: true }]);
  });

  it('writes each value of a stream in order, the last with the end', async () => {
    const { packets, write } = recorder();
    await writeReplies(of(1, 2, 3), write);
    expect(packets).toEqual([{ response: 1 }, { response: 2 }, { response: 3, isDisposed: true }]);
  });

  it('ends an empty result with a bare end', async () => {
    const { packets, write } = recorder();
    await writeReplies(of(), write);
    expect(packets).toEqual([{ isDisposed: true }]);
  });

  it('writes an error after the values already produced', async () => {
    const { packets, write } = recorder();
    const subject = new Subject<number>();
    const done = writeReplies(subject, write);
    subject.next(1);
    subject.error({ code: 'X' });
    await done;
    expect(packets).toEqual([{ response: 1 }, { err: { code: 'X' }, isDisposed: true }]);
  });

  it('rejects when a write fails', async () => {
    await expect(
      writeReplies(
        throwError(() => 'boom'),
        () => Promise.reject(new Error('down')),
      ),
    ).rejects.toThrow('down');
  });
});
