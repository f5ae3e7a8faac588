import type { ClockTimer } from './clock';
import type { ConsumerHost } from './consumer-host';
import { type StreamEntry, parseClaimReply } from './stream-entries';

/**
 * Delivers failed entries again on this consumer after their backoff, on the server's clock:
 * the entry stays pending meanwhile, and `XCLAIM … 0` bumps its delivery count and brings it
 * back (or nothing, if it was deleted or acknowledged since).
 */
export class RetryScheduler {
  private readonly timers = new Set<ClockTimer>();

  constructor(private readonly host: ConsumerHost) {}

  /** Delivers `entry` again after `delayMs`, as its delivery number `deliveries`. */
  schedule(entry: StreamEntry, deliveries: number, delayMs: number): void {
    const timer = this.host.settings.clock.setTimer(delayMs, () => {
      this.timers.delete(timer);
      return this.retry(entry, deliveries);
    });
    this.timers.add(timer);
  }

  /** Drops every retry not yet due; those entries stay pending, to be claimed. */
  cancelAll(): void {
    for (const timer of this.timers) timer.cancel();
    this.timers.clear();
  }

  /** Claims the entry back and starts handling it (without waiting for the handler). */
  private async retry(entry: StreamEntry, deliveries: number): Promise<void> {
    const { host } = this;
    if (!host.running) return;
    await host.gate.acquire();
    let again: StreamEntry | undefined;
    try {
      const reply = await host
        .commands()
        .sendCommand(['XCLAIM', entry.stream, host.group, host.consumer, '0', entry.entryId]);
      [again] = parseClaimReply(entry.stream, reply);
    } catch (error) {
      // Still pending: a claim (here or elsewhere) picks it up after claimIdleMs.
      host.reportError(error as Error);
    }
    if (!again || !host.running) {
      host.gate.release();
      return;
    }
    void host.process(again, deliveries);
  }
}
