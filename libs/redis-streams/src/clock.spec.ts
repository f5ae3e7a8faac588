import { ManualClock, setRepeatingTimer, systemClock } from './clock';

describe('ManualClock', () => {
  it('runs timers only when advanced, each at its own time, in order', async () => {
    const clock = new ManualClock(1_000);
    const fired: string[] = [];
    clock.setTimer(50, () => fired.push(`b@${clock.now()}`));
    clock.setTimer(10, () => fired.push(`a@${clock.now()}`));
    clock.setTimer(50, () => fired.push(`c@${clock.now()}`));
    expect(clock.pending).toEqual([1_010, 1_050, 1_050]);

    await clock.advance(9);
    expect(fired).toEqual([]);
    expect(clock.now()).toBe(1_009);
    await clock.advance(41);
    expect(fired).toEqual(['a@1010', 'b@1050', 'c@1050']);
    expect(clock.now()).toBe(1_050);
    expect(clock.pending).toEqual([]);
  });

  it('runs timers set by timers when they fall due within the same advance', async () => {
    const clock = new ManualClock(0);
    const fired: number[] = [];
    clock.setTimer(10, () => clock.setTimer(10, () => fired.push(clock.now())));
    await clock.advance(19);
    expect(fired).toEqual([]);
    await clock.advance(1);
    expect(fired).toEqual([20]);
  });

  it('waits for what the timers returned before it resolves', async () => {
    const clock = new ManualClock(0);
    let done = false;
    clock.setTimer(5, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      done = true;
    });
    await clock.advance(5);
    expect(done).toBe(true);
  });

  it('does not run a cancelled timer, and advances to the next one', async () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    clock.setTimer(5, () => fired.push('cancelled')).cancel();
    clock.setTimer(30, () => fired.push('kept'));
    expect(await clock.advanceToNext()).toBe(true);
    expect(fired).toEqual(['kept']);
    expect(clock.now()).toBe(30);
    expect(await clock.advanceToNext()).toBe(false);
  });

  it('repeats a timer until it is cancelled', async () => {
    const clock = new ManualClock(0);
    const fired: number[] = [];
    const timer = setRepeatingTimer(clock, 100, () => fired.push(clock.now()));
    await clock.advance(350);
    expect(fired).toEqual([100, 200, 300]);
    timer.cancel();
    await clock.advance(1_000);
    expect(fired).toEqual([100, 200, 300]);
    expect(clock.pending).toEqual([]);
  });
});

describe('systemClock', () => {
  it('tells the time and fires real timers, unless cancelled', async () => {
    expect(Math.abs(systemClock.now() - Date.now())).toBeLessThan(5);
    const fired: string[] = [];
    systemClock.setTimer(0, () => fired.push('cancelled')).cancel();
    await new Promise<void>((resolve) => systemClock.setTimer(1, () => resolve()));
    expect(fired).toEqual([]);
  });
});
