import { DynamicModule, Global, Module } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { ActiveRules } from '../rules';
import { RuleStore, type RuleSyncStatusSource } from '../store';
import type { DataPlaneStats } from './data-plane-stats';

/** What the admin plane works on; `main.ts` builds these once and shares them with the data plane. */
export interface AdminAppDeps {
  /** The rule store (Redis). */
  readonly store: RuleStore;
  /** The rules this instance routes with (kept current by the sync); `explain` decides with them. */
  readonly rules: ActiveRules;
  /** The sync's state, for readiness, `/admin/status` and metrics. */
  readonly sync: RuleSyncStatusSource;
  /** Traffic split, tripped guards and circuit breakers: the data plane (`createDataPlane()`). */
  readonly stats: DataPlaneStats;
  /** The registry the data plane's metrics are in, served on the admin plane's `/metrics` too. */
  readonly metrics?: Registry;
}

export const RULE_SYNC = Symbol('RULE_SYNC');
export const DATA_PLANE_STATS = Symbol('DATA_PLANE_STATS');
export const DATA_PLANE_METRICS = Symbol('DATA_PLANE_METRICS');

/** Makes the admin plane's dependencies injectable everywhere in the admin app. */
@Global()
@Module({})
export class AdminDepsModule {
  static forRoot(deps: AdminAppDeps): DynamicModule {
    return {
      module: AdminDepsModule,
      providers: [
        { provide: RuleStore, useValue: deps.store },
        { provide: ActiveRules, useValue: deps.rules },
        { provide: RULE_SYNC, useValue: deps.sync },
        { provide: DATA_PLANE_STATS, useValue: deps.stats },
        { provide: DATA_PLANE_METRICS, useValue: deps.metrics ?? null },
      ],
      exports: [RuleStore, ActiveRules, RULE_SYNC, DATA_PLANE_STATS, DATA_PLANE_METRICS],
    };
  }
}
