import { hostname } from 'node:os';
import { type ClockTimer, setRepeatingTimer } from './clock';
import type { ConsumerHost } from './consumer-host';

/**
 * The liveness key of a consumer of a group: `<prefix>live:<group>:<consumer>`. Its consumer
 * sets it with an expiry and refreshes it while it lives; once it is gone, the consumer is dead
 * and other instances take over its pending entries at once.
 */
export function livenessKey(prefix: string, group: string, consumer: string): string {
  return `${prefix}live:${group}:${consumer}`;
}

/**
 * Keeps this consumer's liveness key: set at start with an expiry of `livenessTtlMs`, refreshed
 * every `heartbeatIntervalMs` on the server's clock, deleted on a clean shutdown (after the
 * last acknowledgement), so that what it leaves pending is taken over at once.
 */
export class Heartbeat {
  private timer?: ClockTimer;
  private readonly value = JSON.stringify({ host: hostname(), pid: process.pid, since: new Date().toISOString() });

  constructor(
    private readonly host: ConsumerHost,
    readonly key: string,
  ) {}

  async start(): Promise<void> {
    await this.beat();
    this.timer = setRepeatingTimer(this.host.settings.clock, this.host.settings.heartbeatIntervalMs, () =>
      // A failed refresh is retried at the next beat; the key outlives a few missed ones.
      this.beat().catch((error: unknown) => this.host.reportError(error as Error)),
    );
  }

  /** Stops refreshing and deletes the key (best effort: otherwise it expires by itself). */
  async stop(): Promise<void> {
    this.timer?.cancel();
    this.timer = undefined;
    try {
      await this.host.commands().sendCommand(['DEL', this.key]);
    } catch {
      // Not listening, or Redis is away: the key expires by itself.
    }
  }

  private async beat(): Promise<void> {
    await this.host
      .commands()
      .sendCommand(['SET', this.key, this.value, 'PX', String(this.host.settings.livenessTtlMs)]);
  }
}
