import { type ClockTimer, setRepeatingTimer } from './clock';
import { type ConsumedStream, type ConsumerHost, isNoGroup } from './consumer-host';
import { livenessKey } from './liveness';
import type { StreamsMetrics } from './redis-streams.metrics';
import { type StreamEntry, parseAutoClaimReply, parseClaimReply } from './stream-entries';

/** An XPENDING summary: `[count, smallest id, greatest id, [[consumer, count], …] | null]`. */
type PendingSummary = [number, string | null, string | null, [string, string][] | null];
/** XPENDING extended rows: `[id, consumer, idle ms, deliveries]`. */
type PendingRows = [string, string, number, number][];

/**
 * Finds the entries other consumers of the group left pending and handles them here:
 *
 * - **takeover** (every `heartbeatIntervalMs`): the entries of a consumer whose liveness key is
 *   gone (it died) are claimed at once, whatever their idle time;
 * - **idle claim** (every `claimIntervalMs`, the fallback): entries idle longer than
 *   `claimIdleMs` are claimed from anyone (`XAUTOCLAIM`);
 * - at start, entries still pending on this consumer's own name (left by an earlier process
 *   under the same `consumerName`, which nothing here is handling) are taken back.
 *
 * Each kind of pass runs one at a time; the timer of a pass resolves when the pass is over.
 */
export class Claimer {
  private timers: ClockTimer[] = [];
  private idlePass?: Promise<void>;
  private takeoverPass?: Promise<void>;
  private startup?: Promise<void>;

  constructor(
    private readonly host: ConsumerHost,
    private readonly metrics: StreamsMetrics,
  ) {}

  /**
   * The entries pending on this consumer's own name before it reads anything: an earlier
   * process under the same `consumerName` left them, and nothing here handles them. Call it
   * before the reading loop starts, which would otherwise add entries of its own.
   */
  async leftovers(): Promise<Map<ConsumedStream, string[]>> {
    const { host } = this;
    const leftovers = new Map<ConsumedStream, string[]>();
    for (const stream of host.streams) {
      const rows = (await host
        .commands()
        .sendCommand(['XPENDING', stream.key, host.group, '-', '+', '1000000', host.consumer])) as PendingRows;
      if (rows.length > 0)
        leftovers.set(
          stream,
          rows.map((row) => row[0]),
        );
    }
    return leftovers;
  }

  /** Takes back `leftovers` (see {@link leftovers}), then starts both passes and their timers. */
  start(leftovers: ReadonlyMap<ConsumedStream, readonly string[]> = new Map()): void {
    const { clock, claimIntervalMs, heartbeatIntervalMs } = this.host.settings;
    this.startup = (async () => {
      for (const [stream, ids] of leftovers) await this.claimIds(stream, ids).catch((e: unknown) => this.failed(e));
    })();
    this.timers = [
      setRepeatingTimer(clock, claimIntervalMs, () => this.claimIdle()),
      setRepeatingTimer(clock, heartbeatIntervalMs, () => this.takeOverDead()),
    ];
    void this.takeOverDead();
    void this.claimIdle();
  }

  stop(): void {
    for (const timer of this.timers) timer.cancel();
    this.timers = [];
  }

  /** Resolves when no pass is running. */
  async settled(): Promise<void> {
    await Promise.all([this.idlePass, this.takeoverPass, this.startup]);
  }

  /** One idle-claim pass (the one running, if any). */
  claimIdle(): Promise<void> {
    if (!this.host.running) return Promise.resolve();
    this.idlePass ??= this.guard(this.claimIdleOnce()).finally(() => (this.idlePass = undefined));
    return this.idlePass;
  }

  /** One takeover pass (the one running, if any). */
  takeOverDead(): Promise<void> {
    if (!this.host.running) return Promise.resolve();
    this.takeoverPass ??= this.guard(this.takeOverDeadOnce()).finally(() => (this.takeoverPass = undefined));
    return this.takeoverPass;
  }

  private guard(pass: Promise<void>): Promise<void> {
    return pass.catch((error: unknown) => this.failed(error));
  }

  private failed(error: unknown): Promise<void> | void {
    if (isNoGroup(error))
      return this.host.ensureGroups().catch((cause: unknown) => this.host.reportError(cause as Error));
    this.host.reportError(error as Error);
  }

  private async takeOverDeadOnce(): Promise<void> {
    const { host } = this;
    const commands = host.commands();
    for (const stream of host.streams) {
      if (!host.running) return;
      const summary = (await commands.sendCommand(['XPENDING', stream.key, host.group])) as PendingSummary;
      const others = (summary[3] ?? []).map(([name]) => name).filter((name) => name !== host.consumer);
      if (others.length === 0) continue;
      const alive = await Promise.all(
        others.map((name) => commands.sendCommand(['EXISTS', livenessKey(host.settings.prefix, host.group, name)])),
      );
      for (const [index, name] of others.entries()) {
        if (Number(alive[index]) === 0) await this.takeOver(stream, name);
      }
    }
  }

  /**
   * Claims every entry pending on `owner` for this consumer and handles it. Each `XCLAIM` asks
   * for the idle time `XPENDING` just showed: the entries of a dead
   * consumer only grow idler, while one another instance claimed meanwhile is fresh again and
   * stays with it, so two instances never both take an entry over.
   */
  private async takeOver(stream: ConsumedStream, owner: string): Promise<void> {
    const { host } = this;
    const { gate } = host;
    let start = '-';
    for (;;) {
      if (!host.running) return;
      await gate.whenAvailable();
      const slots = gate.tryAcquire(host.settings.batchSize);
      if (slots === 0) continue;
      let rows: PendingRows;
      let entries: StreamEntry[];
      try {
        const commands = host.commands();
        rows = (await commands.sendCommand([
          'XPENDING',
          stream.key,
          host.group,
          start,
          '+',
          String(slots),
          owner,
        ])) as PendingRows;
        const idle = Math.min(...rows.map((row) => Number(row[2])));
        entries =
          rows.length === 0
            ? []
            : parseClaimReply(
                stream.key,
                await commands.sendCommand([
                  'XCLAIM',
                  stream.key,
                  host.group,
                  host.consumer,
                  String(idle),
                  ...rows.map((row) => row[0]),
                ]),
              );
      } catch (error) {
        gate.release(slots);
        throw error;
      }
      if (slots > entries.length) gate.release(slots - entries.length);
      if (entries.length > 0) this.metrics.takenOver.inc({ kind: stream.kind }, entries.length);
      const before = new Map(rows.map((row) => [row[0], Number(row[3])]));
      // XCLAIM counted one more delivery.
      for (const entry of entries) void host.process(entry, (before.get(entry.entryId) ?? 1) + 1);
      const last = rows.at(-1);
      if (!last || rows.length < slots) return;
      start = `(${last[0]}`;
    }
  }

  /** Claims the given entries for this consumer (min-idle 0), batch by batch as slots free up, and handles them. */
  private async claimIds(stream: ConsumedStream, ids: readonly string[]): Promise<void> {
    const { host } = this;
    const { gate } = host;
    for (let offset = 0; offset < ids.length;) {
      if (!host.running) return;
      await gate.whenAvailable();
      const slots = gate.tryAcquire(Math.min(host.settings.batchSize, ids.length - offset));
      if (slots === 0) continue;
      const batch = ids.slice(offset, offset + slots);
      offset += slots;
      let entries: StreamEntry[];
      try {
        entries = parseClaimReply(
          stream.key,
          await host.commands().sendCommand(['XCLAIM', stream.key, host.group, host.consumer, '0', ...batch]),
        );
      } catch (error) {
        gate.release(slots);
        throw error;
      }
      if (slots > entries.length) gate.release(slots - entries.length);
      if (entries.length > 0) this.metrics.takenOver.inc({ kind: stream.kind }, entries.length);
      const counts = await this.deliveryCounts(stream.key, entries);
      for (const entry of entries) void host.process(entry, counts.get(entry.entryId) ?? 2);
    }
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
