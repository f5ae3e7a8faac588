import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What is waiting in an outbox. */
export interface Backlog {
  /** Rows not yet published. */
  readonly unpublished: number;
  /** How long the oldest of them has waited, or null when there is none. */
  readonly oldestAgeMs: number | null;
  /** Inbox messages parked until their predecessor is applied. */
  readonly parked: number;
  /** How long the oldest of them has waited (the oldest gap), or null when there is none. */
  readonly oldestParkedAgeMs: number | null;
}

export type InboxOutcomeLabel = 'applied' | 'duplicate' | 'stale' | 'parked' | 'out_of_order';

const registries = new WeakMap<Registry, OutboxMetrics>();
/** Both backlog gauges are read in one scrape; one query serves both. */
const BACKLOG_CACHE_MS = 250;

/**
 * The outbox's and inbox's Prometheus metrics. One set per registry (prom-client refuses a
 * name twice); the backlog gauges are read from the database on each scrape.
 */
export class OutboxMetrics {
  readonly published: Counter;
  readonly publishFailures: Counter;
  readonly republished: Counter;
  readonly commitToStream: Histogram;
  readonly inboxMessages: Counter<'consumer' | 'outcome'>;
  /** Requests answered before every position they awaited was applied (`x-ficus-consistency: stale`). */
  readonly consistencyStale: Counter;
  /** How long requests waited for the positions they awaited, by outcome (`applied`, `stale`). */
  readonly consistencyWait: Histogram<'outcome'>;
  private readonly sources = new Set<() => Promise<Backlog>>();
  private cached?: { at: number; value: Promise<Backlog | undefined> };

  private constructor(readonly registry: Registry) {
    const registers = [registry];
    this.published = new Counter({
      name: 'outbox_published_total',
      help: 'Outbox events stored in Redis by the relay (a republished event counts again).',
      registers,
    });
    this.publishFailures = new Counter({
      name: 'outbox_publish_failures_total',
      help: 'Relay batches Redis did not store; their rows stay and are retried.',
      registers,
    });
    this.republished = new Counter({
      name: 'outbox_republished_total',
      help: 'Published outbox rows marked for publishing again: Redis lost them, or a consumer asked for its gap.',
      registers,
    });
    this.commitToStream = new Histogram({
      name: 'outbox_commit_to_stream_seconds',
      help: 'Time from Outbox.add() (in the transaction that committed) to the event being stored in its stream.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    });
    this.inboxMessages = new Counter({
      name: 'inbox_messages_total',
      help: 'Messages seen by the inbox, by consumer and outcome (applied, duplicate, stale, parked, out_of_order).',
      labelNames: ['consumer', 'outcome'],
      registers,
    });
    this.consistencyStale = new Counter({
      name: 'consistency_stale_total',
      help: 'Requests answered before every position in x-ficus-await was applied (answered with x-ficus-consistency: stale).',
      registers,
    });
    this.consistencyWait = new Histogram({
      name: 'consistency_wait_seconds',
      help: 'Time a request waited for the positions in x-ficus-await to be applied, by outcome (applied, stale).',
      labelNames: ['outcome'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    const backlog = () => this.backlog();
    new Gauge({
      name: 'outbox_unpublished_events',
      help: 'Outbox rows not yet published (read on scrape).',
      registers,
      async collect() {
        const value = await backlog();
        if (value) this.set(value.unpublished);
      },
    });
    new Gauge({
      name: 'outbox_oldest_unpublished_age_seconds',
      help: 'Age of the oldest unpublished outbox row, 0 when there is none (read on scrape).',
      registers,
      async collect() {
        const value = await backlog();
        if (value) this.set((value.oldestAgeMs ?? 0) / 1_000);
      },
    });
    new Gauge({
      name: 'inbox_parked_events',
      help: 'Inbox messages parked until their predecessor is applied (read on scrape).',
      registers,
      async collect() {
        const value = await backlog();
        if (value) this.set(value.parked);
      },
    });
    new Gauge({
      name: 'inbox_oldest_gap_age_seconds',
      help: 'How long the oldest parked message has waited for its predecessor, 0 when none (read on scrape).',
      registers,
      async collect() {
        const value = await backlog();
        if (value) this.set((value.oldestParkedAgeMs ?? 0) / 1_000);
      },
    });
  }

  static for(registry: Registry = new Registry()): OutboxMetrics {
    let metrics = registries.get(registry);
    if (!metrics) {
      metrics = new OutboxMetrics(registry);
      registries.set(registry, metrics);
    }
    return metrics;
  }

  /** Reads the backlog gauges from `source` until the returned function is called. */
  watchBacklog(source: () => Promise<Backlog>): () => void {
    this.sources.add(source);
    return () => this.sources.delete(source);
  }

  /** The backlog of every watched outbox, or undefined when the database does not answer (the gauges keep their values). */
  private backlog(): Promise<Backlog | undefined> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at > BACKLOG_CACHE_MS) {
      this.cached = { at: now, value: this.readSources().catch(() => undefined) };
    }
    return this.cached.value;
  }

  private async readSources(): Promise<Backlog> {
    const backlogs = await Promise.all([...this.sources].map((source) => source()));
    const oldest = (ages: (number | null)[]) => {
      const known = ages.filter((age): age is number => age !== null);
      return known.length > 0 ? Math.max(...known) : null;
    };
    return {
      unpublished: backlogs.reduce((sum, b) => sum + b.unpublished, 0),
      oldestAgeMs: oldest(backlogs.map((b) => b.oldestAgeMs)),
      parked: backlogs.reduce((sum, b) => sum + b.parked, 0),
      oldestParkedAgeMs: oldest(backlogs.map((b) => b.oldestParkedAgeMs)),
    };
  }
}
