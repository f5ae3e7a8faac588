/**
 * Stops the wall clock (`Date`) of this test process, and so of the app built in-process,
 * at `epochMs`; timers, `hrtime` and the event loop run as usual. For tests that need two
 * requests to happen "at the same millisecond", or a day later.
 */
export function freezeClock(epochMs: number): void {
  jest.useFakeTimers({
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'requestAnimationFrame',
      'cancelAnimationFrame',
      'requestIdleCallback',
      'cancelIdleCallback',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
    now: epochMs,
  });
}

/** Moves the frozen clock to `epochMs`. */
export function setClock(epochMs: number): void {
  jest.setSystemTime(epochMs);
}

/** Lets the wall clock run again. */
export function thawClock(): void {
  jest.useRealTimers();
}
