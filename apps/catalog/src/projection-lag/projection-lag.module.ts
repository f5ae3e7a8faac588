import { Global, Module } from '@nestjs/common';
import { ProjectionLagMonitor } from './projection-lag.monitor';

/** Global, so the projection reports to the monitor that the readiness check (in ServiceDefaultsModule) reads. */
@Global()
@Module({ providers: [ProjectionLagMonitor], exports: [ProjectionLagMonitor] })
export class ProjectionLagModule {}
