import { ConcurrencyGate } from './concurrency-gate';

describe('ConcurrencyGate', () => {
  it('never lets more than the limit in, and wakes waiters in order', async () => {
    const gate = new ConcurrencyGate(2);
    const order: number[] = [];
    await gate.acquire();
    await gate.acquire();
    const third = gate.acquire().then(() => order.push(3));
    const fourth = gate.acquire().then(() => order.push(4));
    await Promise.resolve();
    expect(gate.inFlight).toBe(2);
    expect(order).toEqual([]);
    gate.release();
    await third;
    expect(order).toEqual([3]);
    expect(gate.inFlight).toBe(2);
    gate.release();
    await fourth;
    expect(order).toEqual([3, 4]);
  });

  it('takes what is free in one go', () => {
    const gate = new ConcurrencyGate(5);
    expect(gate.tryAcquire(3)).toBe(3);
    expect(gate.tryAcquire(3)).toBe(2);
    expect(gate.tryAcquire(1)).toBe(0);
    gate.release(5);
    expect(gate.available).toBe(5);
  });

  it('tells when a slot is free without taking it', async () => {
    const gate = new ConcurrencyGate(1);
    gate.tryAcquire(1);
    let woke = false;
    const waiting = gate.whenAvailable().then(() => {
      woke = true;
    });
    await Promise.resolve();
    expect(woke).toBe(false);
    gate.release();
    await waiting;
    expect(gate.available).toBe(1);
  });

  it('tells when nothing is in flight any more', async () => {
    const gate = new ConcurrencyGate(2);
    await gate.idle();
    gate.tryAcquire(2);
    let idle = false;
    const waiting = gate.idle().then(() => (idle = true));
    gate.release();
    await Promise.resolve();
    expect(idle).toBe(false);
    gate.release();
    await waiting;
    expect(idle).toBe(true);
  });
});
