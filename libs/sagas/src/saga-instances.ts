import type { UnitOfWork } from '@app/database';
import type { Clock } from '@app/redis-streams';
import type { AnySaga } from './define-saga';
import { ACTIVE_STATUSES, type SagaStatus, retryCompensation } from './saga-decisions';
import { SagaInstanceEntity } from './saga-instance.entity';
import { type SagaView, rowAfter, stateOf, viewOf } from './saga-rows';
import { SagaError } from './sagas.errors';

/** What readiness reports of a runner's instances. */
export interface SagaHealth {
  /** Instances under way (RUNNING, COMPENSATING). */
  readonly inFlight: number;
  /** Of those, the ones whose action has been due for longer than the threshold: nothing advances them. */
  readonly stuck: readonly string[];
  /** Instances stopped for a person (`COMPENSATION_FAILED`), at most 20 named. */
  readonly compensationFailed: readonly string[];
}

/**
 * The saga instances of a service's database, as people and tools see them: found, listed,
 * checked for readiness, and a stopped one retried. Needs no saga declaration (with them, steps
 * are named; without, numbered): the runner uses it, and so does `npm run sagas`.
 */
export class SagaInstances {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly sagas: ReadonlyMap<string, AnySaga> = new Map(),
  ) {}

  /** The instance, or `undefined`. */
  async find(id: string): Promise<SagaView | undefined> {
    const row = await this.unitOfWork.read((manager) => manager.findOne(SagaInstanceEntity, { where: { id } }));
    return row ? viewOf(row, this.sagas.get(row.saga)) : undefined;
  }

  /** Instances, newest first, optionally of one status. */
  async list(status?: SagaStatus, limit = 100): Promise<SagaView[]> {
    const rows = await this.unitOfWork.read((manager) =>
      manager.find(SagaInstanceEntity, { where: status ? { status } : {}, order: { createdAt: 'DESC' }, take: limit }),
    );
    return rows.map((row) => viewOf(row, this.sagas.get(row.saga)));
  }

  /**
   * The instances under way, those whose action has been due for more than `stuckAfterMs`
   * (nothing advances them: no runner, or one that cannot reach the database or the services),
   * and those stopped for a person.
   */
  async health(stuckAfterMs: number, limit = 20): Promise<SagaHealth> {
    const now = this.clock.now();
    return this.unitOfWork.read(async (manager) => {
      const active = manager
        .createQueryBuilder(SagaInstanceEntity, 's')
        .where('s.status IN (:...active)', { active: ACTIVE_STATUSES });
      const [inFlight, stuck, failed] = await Promise.all([
        active.clone().getCount(),
        active
          .clone()
          .select('s.id', 'id')
          .andWhere('s.due_at < :before', { before: now - stuckAfterMs })
          .orderBy('s.due_at', 'ASC')
          .limit(limit)
          .getRawMany<{ id: string }>(),
        manager
          .createQueryBuilder(SagaInstanceEntity, 's')
          .select('s.id', 'id')
          .where('s.status = :status', { status: 'COMPENSATION_FAILED' })
          .orderBy('s.updated_at', 'ASC')
          .limit(limit)
          .getRawMany<{ id: string }>(),
      ]);
      return { inFlight, stuck: stuck.map((row) => row.id), compensationFailed: failed.map((row) => row.id) };
    });
  }

  /** A `COMPENSATION_FAILED` instance, due again at once from the compensation it stopped at (a runner takes it). */
  async retry(id: string): Promise<SagaView> {
    const now = this.clock.now();
    const view = await this.unitOfWork.transaction(async (manager) => {
      const row = await this.unitOfWork.findOneForUpdate(manager, SagaInstanceEntity, { where: { id } });
      if (!row) throw new SagaError('SAGA_NOT_FOUND', `no saga instance ${id}`);
      if (row.status !== 'COMPENSATION_FAILED') {
        throw new SagaError(
          'SAGA_NOT_RETRYABLE',
          `saga instance ${id} is ${row.status}: only COMPENSATION_FAILED is retried`,
        );
      }
      const saga = this.sagas.get(row.saga);
      const decision = retryCompensation(saga?.shape, stateOf(row), now);
      const next = rowAfter(id, row.saga, decision, JSON.parse(row.data), JSON.parse(row.history), now, row);
      await manager.update(SagaInstanceEntity, { id, version: row.version }, next);
      return viewOf({ ...row, ...next } as SagaInstanceEntity, saga);
    });
    return view;
  }
}
