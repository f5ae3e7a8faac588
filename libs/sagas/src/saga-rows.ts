import type { AnySaga } from './define-saga';
import type { SagaDecision, SagaState, SagaStatus } from './saga-decisions';
import type { SagaInstanceEntity } from './saga-instance.entity';

/** An instance as the runner's callers see it. */
export interface SagaView {
  readonly id: string;
  readonly saga: string;
  readonly status: SagaStatus;
  /** The current step's name, when the saga's declaration is known. */
  readonly step: string | null;
  /** The current step's number, from 1. */
  readonly stepNumber: number;
  readonly attempt: number;
  readonly data: unknown;
  readonly failure: { readonly step: string; readonly reason: string } | null;
  readonly history: readonly { readonly at: string; readonly note: string }[];
  /** The positions the steps' replies reported (`x-ficus-positions`), null if none. */
  readonly positions: string | null;
}

/** The row an instance has after `decision` (its lease kept: the caller sets or clears it). */
export function rowAfter(
  id: string,
  saga: string,
  decision: SagaDecision,
  data: unknown,
  history: { at: string; note: string }[],
  now: number,
  previous?: SagaInstanceEntity,
): SagaInstanceEntity {
  const at = new Date(now);
  return {
    id,
    saga,
    status: decision.state.status,
    step: decision.state.step,
    attempt: decision.state.attempt,
    data: JSON.stringify(data ?? null),
    failureStep: decision.state.failure?.step ?? null,
    failureReason: decision.state.failure?.reason ?? null,
    dueAt: decision.next.kind === 'send' ? decision.next.at : null,
    leaseOwner: previous?.leaseOwner ?? null,
    leaseUntil: previous?.leaseUntil ?? null,
    history: JSON.stringify([...history, { at: at.toISOString(), note: decision.note }]),
    positions: previous?.positions ?? null,
    version: (previous?.version ?? 0) + 1,
    createdAt: previous?.createdAt ?? at,
    updatedAt: at,
  };
}

/** The decisions' view of an instance's row. */
export function stateOf(row: SagaInstanceEntity): SagaState {
  return {
    status: row.status,
    step: row.step,
    attempt: row.attempt,
    failure: row.failureStep && row.failureReason ? { step: row.failureStep, reason: row.failureReason } : undefined,
  };
}

/** An instance as callers see it: its current step named when the saga is known. */
export function viewOf(row: SagaInstanceEntity, saga: AnySaga | undefined): SagaView {
  return {
    id: row.id,
    saga: row.saga,
    status: row.status,
    step: saga?.steps[row.step]?.name ?? null,
    stepNumber: row.step + 1,
    attempt: row.attempt,
    data: JSON.parse(row.data),
    failure: row.failureStep && row.failureReason ? { step: row.failureStep, reason: row.failureReason } : null,
    history: JSON.parse(row.history),
    positions: row.positions ?? null,
  };
}
