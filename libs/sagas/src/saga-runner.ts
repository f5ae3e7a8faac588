import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { LoggerService } from '@nestjs/common';
import type { Registry } from 'prom-client';
import type { EntityManager } from 'typeorm';
import { POSITIONS_HEADER, formatPositions, parsePositions } from '@app/contracts';
import type { UnitOfWork } from '@app/database';
import { type Clock, systemClock } from '@app/redis-streams';
import { commandIdOf } from './command-id';
import type { AnySaga, Saga, SagaAction, StepResult } from './define-saga';
import {
  ACTIVE_STATUSES,
  FINAL_STATUSES,
  type SagaDecision,
  type SagaEvent,
  type SagaPhase,
  type SagaState,
  type SagaStatus,
  decide,
  startSaga,
} from './saga-decisions';
import { SagaInstanceEntity } from './saga-instance.entity';
import { type SagaHealth, SagaInstances } from './saga-instances';
import { type SagaView, rowAfter, stateOf, viewOf } from './saga-rows';
import { type InstanceCounts, SagaMetrics } from './saga-metrics';
import type { SagaTransport } from './saga-transport';
import { SagaError } from './sagas.errors';

const LOG_CONTEXT = 'Sagas';
/** Instances taken per poll. */
const POLL_BATCH = 50;

export interface SagaRunnerOptions {
  readonly unitOfWork: UnitOfWork;
  readonly transport: SagaTransport;
  /** The service that runs the sagas: the `origin` of their commands. */
  readonly origin: string;
  readonly sagas: readonly AnySaga[];
  /** How long an instance is this runner's to advance once taken (default 30000 ms); longer than any command's wait. */
  readonly leaseMs?: number;
  /** How often due instances are looked for, this runner's own included after a restart (default 1000 ms). */
  readonly pollIntervalMs?: number;
  readonly clock?: Clock;
  readonly logger?: LoggerService;
  /** Where the runner's metrics go (`saga-metrics.ts`); none without. */
  readonly metrics?: Registry;
  /**
   * Called in the transaction that records an instance's end (`COMPLETED`, `FAILED`,
   * `COMPENSATION_FAILED`): the service records what the end means, and its integration events
   * (outbox), atomically with it.
   */
  readonly onEnd?: (view: SagaView, manager: EntityManager) => Promise<void>;
  /** Called once an instance's end is committed, by the runner that recorded it (`SagasModule` publishes `SagaEndedEvent`). */
  readonly ended?: (view: SagaView) => void;
}

/**
 * Advances saga instances kept in the service's database: each transition (and, at the end, the
 * service's own writes and events) is one transaction; an instance is advanced by one runner at a
 * time (a lease in its row); commands carry an id derived from the instance and the step, so a
 * command sent again after a crash is applied once; due times live in the rows, so retries and
 * resumptions survive a restart.
 */
export class SagaRunner {
  readonly owner = randomUUID();
  private readonly sagas = new Map<string, AnySaga>();
  private readonly clock: Clock;
  private readonly leaseMs: number;
  private readonly pollIntervalMs: number;
  private readonly running = new Set<string>();
  private readonly waiters = new Map<string, Set<(view: SagaView) => void>>();
  private readonly inFlight = new Set<Promise<void>>();
  private pollTimer?: { cancel(): void };
  private closed = false;
  private readonly metrics?: SagaMetrics;
  private readonly instances: SagaInstances;
  private readonly stopCounting?: () => void;

  constructor(private readonly options: SagaRunnerOptions) {
    for (const saga of options.sagas) {
      if (this.sagas.has(saga.name)) throw new TypeError(`saga ${saga.name} is given twice`);
      this.sagas.set(saga.name, saga);
    }
    this.clock = options.clock ?? systemClock;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.instances = new SagaInstances(options.unitOfWork, this.clock, this.sagas);
    this.metrics = options.metrics ? SagaMetrics.for(options.metrics) : undefined;
    this.stopCounting = this.metrics?.countFrom(() => this.counts());
    const longest = Math.max(0, ...options.sagas.map((saga) => saga.timeoutMs));
    if (!(this.leaseMs > longest)) {
      throw new TypeError(`leaseMs (${this.leaseMs}) must be longer than the longest command wait (${longest} ms)`);
    }
  }

  /** Starts looking for due instances (those left by a crash, and retries that came due). */
  start(): void {
    this.schedulePoll(0);
  }

  /** Stops polling and waits for the instances under way here to reach their next transition. */
  async close(): Promise<void> {
    this.closed = true;
    this.pollTimer?.cancel();
    this.stopCounting?.();
    await Promise.allSettled([...this.inFlight]);
  }

  /**
   * Records a new instance of `saga` with `data` (in `manager`'s transaction when given, so that it
   * exists only if the caller's work commits) and advances it once recorded. Returns its id.
   */
  async begin<D>(saga: Saga<D>, data: D, options: { id?: string; manager?: EntityManager } = {}): Promise<string> {
    if (this.sagas.get(saga.name) !== saga)
      throw new SagaError('SAGA_UNKNOWN', `saga ${saga.name} is not run by this runner`);
    const id = options.id ?? randomUUID();
    const now = this.clock.now();
    const decision = startSaga(saga.shape, now);
    const row = rowAfter(id, saga.name, decision, data, [], now);
    const insert = async (manager: EntityManager) => {
      await manager.insert(SagaInstanceEntity, row);
      if (FINAL_STATUSES.includes(decision.state.status)) await this.options.onEnd?.(viewOf(row, saga), manager);
    };
    // A saga without steps ends as it begins.
    const after = () =>
      FINAL_STATUSES.includes(decision.state.status) ? this.options.ended?.(viewOf(row, saga)) : this.advanceSoon(id);
    if (options.manager) {
      await insert(options.manager);
      this.options.unitOfWork.afterCommit(options.manager, after);
    } else {
      await this.options.unitOfWork.transaction(insert);
      after();
    }
    return id;
  }

  /** See {@link SagaInstances.find}. */
  find(id: string): Promise<SagaView | undefined> {
    return this.instances.find(id);
  }

  /** See {@link SagaInstances.list}. */
  list(status?: SagaStatus, limit = 100): Promise<SagaView[]> {
    return this.instances.list(status, limit);
  }

  /**
   * Resolves with the instance once it ended, or as it is after `timeoutMs` (woken by this runner's
   * transitions at once, by another runner's at this runner's next poll).
   */
  async awaitEnd(id: string, timeoutMs: number): Promise<SagaView> {
    // Listening before reading: an end recorded between the read and the wait still wakes it.
    let settle!: (view: SagaView | undefined) => void;
    const ended = new Promise<SagaView | undefined>((resolve) => (settle = resolve));
    const waiting = this.waiters.get(id) ?? new Set();
    waiting.add(settle);
    this.waiters.set(id, waiting);
    try {
      const known = await this.find(id);
      if (!known) throw new SagaError('SAGA_NOT_FOUND', `no saga instance ${id}`);
      if (FINAL_STATUSES.includes(known.status)) return known;
      const timer = this.clock.setTimer(timeoutMs, () => settle(undefined));
      const view = await ended;
      timer.cancel();
      return view ?? ((await this.find(id)) as SagaView);
    } finally {
      waiting.delete(settle);
      if (waiting.size === 0 && this.waiters.get(id) === waiting) this.waiters.delete(id);
    }
  }

  /** See {@link SagaInstances.health}. */
  health(stuckAfterMs: number, limit = 20): Promise<SagaHealth> {
    return this.instances.health(stuckAfterMs, limit);
  }

  /** A `COMPENSATION_FAILED` instance, tried again from the compensation it stopped at, at once. */
  async retry(id: string): Promise<SagaView> {
    const view = await this.instances.retry(id);
    this.advanceSoon(id);
    return view;
  }

  private schedulePoll(delayMs: number): void {
    if (this.closed) return;
    this.pollTimer = this.clock.setTimer(delayMs, () => this.poll());
  }

  private async poll(): Promise<void> {
    try {
      const now = this.clock.now();
      const due = await this.options.unitOfWork.read((manager) =>
        manager
          .createQueryBuilder(SagaInstanceEntity, 's')
          .select('s.id', 'id')
          .where('s.status IN (:...active)', { active: ACTIVE_STATUSES })
          .andWhere('s.due_at <= :now', { now })
          .andWhere('(s.lease_until IS NULL OR s.lease_until < :now)', { now })
          .orderBy('s.due_at', 'ASC')
          .limit(POLL_BATCH)
          .getRawMany<{ id: string }>(),
      );
      for (const { id } of due) this.advanceSoon(id);
      await this.notifyEndedElsewhere();
    } catch (error) {
      this.options.logger?.warn(`looking for due saga instances failed: ${describe(error)}`, LOG_CONTEXT);
    } finally {
      this.schedulePoll(this.pollIntervalMs);
    }
  }

  private advanceSoon(id: string): void {
    if (this.closed || this.running.has(id)) return;
    this.running.add(id);
    const work = this.advance(id)
      .catch((error: unknown) =>
        this.options.logger?.error(`saga instance ${id} could not advance: ${describe(error)}`, undefined, LOG_CONTEXT),
      )
      .finally(() => {
        this.running.delete(id);
        this.inFlight.delete(work);
      });
    this.inFlight.add(work);
  }

  /**
   * Takes the instance's lease and runs its due actions, one transition each, until it ends, waits,
   * or is lost. An action due at once keeps the lease (renewed with the transition that records the
   * one before), so it needs no claim of its own.
   */
  private async advance(id: string): Promise<void> {
    let held: SagaInstanceEntity | null = null;
    for (;;) {
      if (this.closed) {
        if (held) await this.release(held);
        return;
      }
      // Every way on below either returns or holds the next row again.
      const row = held ?? (await this.claim(id));
      if (!row) return;
      const saga = this.sagaOf(row);
      const state = stateOf(row);
      const phase: SagaPhase = state.status === 'COMPENSATING' ? 'compensate' : 'forward';
      let data = JSON.parse(row.data) as never;
      const started = performance.now();
      const event = await this.perform(saga, row.id, state, phase, data);
      if (event.kind === 'succeeded' && event.data !== undefined) data = event.data as never;
      const now = this.clock.now();
      const decision = decide(saga.shape, state, event, saga.policy, now);
      this.measure(saga, state, phase, event, decision, (performance.now() - started) / 1_000);
      const next = {
        ...rowAfter(id, row.saga, decision, data, JSON.parse(row.history), now, row),
        positions: mergePositions(row.positions, event.positions),
      };
      const ended = decision.next.kind === 'end';
      const later = decision.next.kind === 'send' && decision.next.at > now;
      const lease =
        ended || later
          ? { leaseOwner: null, leaseUntil: null }
          : { leaseOwner: this.owner, leaseUntil: now + this.leaseMs };
      const recorded = await this.options.unitOfWork.transaction(async (manager) => {
        const result = await manager.update(
          SagaInstanceEntity,
          { id, version: row.version, leaseOwner: this.owner },
          { ...next, ...lease },
        );
        if (result.affected !== 1) return false;
        if (ended) await this.options.onEnd?.(viewOf({ ...row, ...next } as SagaInstanceEntity, saga), manager);
        return true;
      });
      if (!recorded) {
        this.options.logger?.warn(
          `saga instance ${id}: lost its lease before recording (${decision.note})`,
          LOG_CONTEXT,
        );
        return;
      }
      if (ended) {
        const view = viewOf({ ...row, ...next } as SagaInstanceEntity, saga);
        this.options.ended?.(view);
        this.notify(view);
        return;
      }
      if (later && decision.next.kind === 'send') {
        const wait = decision.next.at - this.clock.now();
        this.clock.setTimer(wait, () => this.advanceSoon(id));
        return;
      }
      held = { ...row, ...next, ...lease } as SagaInstanceEntity;
    }
  }

  /** Gives up a lease this runner holds (on close), so another runner may take the instance at once. */
  private async release(row: SagaInstanceEntity): Promise<void> {
    await this.options.unitOfWork.transaction((manager) =>
      manager.update(
        SagaInstanceEntity,
        { id: row.id, version: row.version, leaseOwner: this.owner },
        { leaseOwner: null, leaseUntil: null },
      ),
    );
  }

  /** The instance's row, leased to this runner, when it is active, due, and nobody else's; else null. */
  private async claim(id: string): Promise<SagaInstanceEntity | null> {
    const now = this.clock.now();
    return this.options.unitOfWork.transaction(async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .update(SagaInstanceEntity)
        .set({ leaseOwner: this.owner, leaseUntil: now + this.leaseMs })
        .where('id = :id', { id })
        .andWhere('status IN (:...active)', { active: ACTIVE_STATUSES })
        .andWhere('due_at <= :now', { now })
        .andWhere('(lease_until IS NULL OR lease_until < :now OR lease_owner = :owner)', { now, owner: this.owner })
        .execute();
      if (result.affected !== 1) return null;
      return manager.findOne(SagaInstanceEntity, { where: { id } });
    });
  }

  /** Runs the current action and says what happened, as an event of the decisions. */
  private async perform(
    saga: AnySaga,
    id: string,
    state: SagaState,
    phase: SagaPhase,
    data: never,
  ): Promise<SagaEvent & { data?: unknown; positions?: string }> {
    const step = saga.steps[state.step];
    if (!step) return { kind: 'transient', error: `no step ${state.step}` };
    const action: SagaAction<never> | undefined = phase === 'forward' ? step : step.compensation;
    if (!action) return phase === 'forward' ? { kind: 'succeeded' } : { kind: 'compensated' };
    let positions: string | undefined;
    try {
      let result: StepResult<never>;
      if ('run' in action) {
        result = await action.run(data);
      } else {
        const command = action.command(data);
        if (command === null) return phase === 'forward' ? { kind: 'succeeded' } : { kind: 'compensated' };
        const request = {
          ...command.request,
          commandId: commandIdOf(id, phase, state.step),
          issuedAt: new Date(this.clock.now()).toISOString(),
          origin: this.options.origin,
        };
        const reply = await this.options.transport.send(command, request, command.timeoutMs ?? saga.timeoutMs);
        positions = reply.headers[POSITIONS_HEADER];
        result = action.reply ? action.reply(reply.body, data) : { kind: 'succeeded' };
      }
      if (phase === 'compensate') {
        return result.kind === 'succeeded'
          ? { kind: 'compensated', positions }
          : { kind: 'transient', error: `refused: ${result.reason}`, positions };
      }
      return result.kind === 'succeeded'
        ? { kind: 'succeeded', data: result.data, positions }
        : { kind: 'refused', reason: result.reason, positions };
    } catch (error) {
      return { kind: 'transient', error: describe(error), positions };
    }
  }

  /** Instances per saga and status, for `sagas_instances` (those that ended well are not counted). */
  private async counts(): Promise<InstanceCounts> {
    const rows = await this.options.unitOfWork.read((manager) =>
      manager
        .createQueryBuilder(SagaInstanceEntity, 's')
        .select('s.saga', 'saga')
        .addSelect('s.status', 'status')
        .addSelect('COUNT(*)', 'count')
        .where('s.status IN (:...statuses)', { statuses: [...ACTIVE_STATUSES, 'COMPENSATION_FAILED'] })
        .groupBy('s.saga')
        .addGroupBy('s.status')
        .getRawMany<{ saga: string; status: string; count: string | number }>(),
    );
    return rows.map((row) => ({ saga: row.saga, status: row.status, count: Number(row.count) }));
  }

  /** Wakes the callers waiting for instances that another runner brought to an end. */
  private async notifyEndedElsewhere(): Promise<void> {
    const ids = [...this.waiters.keys()];
    if (ids.length === 0) return;
    const rows = await this.options.unitOfWork.read((manager) =>
      manager
        .createQueryBuilder(SagaInstanceEntity, 's')
        .where('s.id IN (:...ids)', { ids })
        .andWhere('s.status IN (:...final)', { final: FINAL_STATUSES })
        .getMany(),
    );
    for (const row of rows) this.notify(viewOf(row, this.sagas.get(row.saga)));
  }

  private measure(
    saga: AnySaga,
    state: SagaState,
    phase: SagaPhase,
    event: SagaEvent,
    decision: SagaDecision,
    seconds: number,
  ): void {
    const metrics = this.metrics;
    if (!metrics) return;
    const step = saga.steps[state.step]?.name ?? String(state.step);
    const outcome = event.kind === 'transient' ? 'transient' : event.kind === 'refused' ? 'refused' : 'ok';
    metrics.observeStep(saga.name, step, phase, outcome, seconds);
    if (event.kind === 'transient' && decision.next.kind === 'send' && decision.next.step === state.step) {
      metrics.retries.inc({ saga: saga.name, step, phase });
    }
    if (event.kind === 'compensated') metrics.compensations.inc({ saga: saga.name, step });
    if (decision.next.kind === 'end')
      metrics.ended.inc({ saga: saga.name, outcome: decision.next.status.toLowerCase() });
  }

  private notify(view: SagaView): void {
    const waiting = this.waiters.get(view.id);
    this.waiters.delete(view.id);
    for (const settle of waiting ?? []) settle(view);
  }

  private sagaOf(row: SagaInstanceEntity): AnySaga {
    const saga = this.sagas.get(row.saga);
    if (!saga)
      throw new SagaError(
        'SAGA_UNKNOWN',
        `saga instance ${row.id} is of saga ${row.saga}, which this runner does not run`,
      );
    return saga;
  }
}

/** The positions an instance keeps, with those a reply reported (the highest sequence of each aggregate). */
function mergePositions(kept: string | null, reported: string | undefined): string | null {
  if (!reported) return kept;
  const merged = parsePositions([kept ?? '', reported]);
  return merged.ok && merged.positions.length > 0 ? formatPositions(merged.positions) : kept;
}

/** An error as one line: its stable code first when it has one. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
}
