import { type ClockTimer, setRepeatingTimer } from './clock';
import { type ConsumerHost, isNoGroup } from './consumer-host';
import { type StreamEntry, parseAutoClaimReply } from './stream-entries';

/** XPENDING extended rows: `[id, consumer, idle ms, deliveries]`. */
type PendingRows = [string, string, number, number][];

/**
 * Claims the entries other consumers of the group left pending for longer than `claimIdleMs`
 * (`XAUTOCLAIM`, every `claimIntervalMs`) and handles them here. One pass runs at a time; the
 * timer of a pass resolves when the pass is over.
 */
export class Claimer {
  private timers: ClockTimer[] = [];
  private idlePass?: Promise<void>;

  constructor(private readonly host: ConsumerHost) {}

  /** Starts the passes and their timer. */
  start(): void {
    const { clock, claimIntervalMs } = this.host.settings;
    this.timers = [setRepeatingTimer(clock, claimIntervalMs, () => this.claimIdle())];
    void this.claimIdle();
  }

  stop(): void {
    for (const timer of this.timers) timer.cancel();
    this.timers = [];
  }

  /** Resolves when no pass is running. */
  async settled(): Promise<void> {
    await this.idlePass;
  }

  /** One idle-claim pass (the one running, if any). */
  claimIdle(): Promise<void> {
    if (!this.host.running) return Promise.resolve();
    this.idlePass ??= this.guard(this.claimIdleOnce()).finally(() => (this.idlePass = undefined));
    return this.idlePass;
  }

  private guard(pass: Promise<void>): Promise<void> {
    return pass.catch((error: unknown) => this.failed(error));
  }

  private failed(error: unknown): Promise<void> | void {
    if (isNoGroup(error))
      return this.host.ensureGroups().catch((cause: unknown) => this.host.reportError(cause as Error));
    this.host.reportError(error as Error);
  }

  private async claimIdleOnce(): Promise<void> {
    const { host } = this;
    const { gate } = host;
    const commands = host.commands();
    for (const { key } of host.streams) {
      let cursor = '0-0';
      for (;;) {
        if (!host.running) return;
        await gate.whenAvailable();
        const slots = gate.tryAcquire(host.settings.batchSize);
        if (slots === 0) continue;
        let claimed: ReturnType<typeof parseAutoClaimReply>;
        try {
          claimed = parseAutoClaimReply(
            key,
            await commands.sendCommand([
              'XAUTOCLAIM',
              key,
              host.group,
              host.consumer,
              String(host.settings.claimIdleMs),
              cursor,
              'COUNT',
              String(slots),
            ]),
          );
        } catch (error) {
          gate.release(slots);
          throw error;
        }
        if (slots > claimed.entries.length) gate.release(slots - claimed.entries.length);
        const counts = await this.deliveryCounts(key, claimed.entries);
        for (const entry of claimed.entries) void host.process(entry, counts.get(entry.entryId) ?? 2);
        cursor = claimed.next;
        if (cursor === '0-0') break;
      }
    }
  }

  /** How many times each entry was delivered (XPENDING per entry, pipelined), claims included. */
  private async deliveryCounts(stream: string, entries: readonly StreamEntry[]): Promise<Map<string, number>> {
    const { host } = this;
    const commands = host.commands();
    const replies = await Promise.all(
      entries.map(
        (entry) =>
          commands.sendCommand([
            'XPENDING',
            stream,
            host.group,
            entry.entryId,
            entry.entryId,
            '1',
          ]) as Promise<PendingRows>,
      ),
    );
    const counts = new Map<string, number>();
    for (const [pending] of replies) if (pending) counts.set(pending[0], Number(pending[3]));
    return counts;
  }
}
