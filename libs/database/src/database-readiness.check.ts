import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { ReadinessCheck } from '@app/service-defaults';

const PING_TIMEOUT_MS = 1_000;

/** Ready only while the database answers a ping within a second. */
@Injectable()
export class DatabaseReadinessCheck implements ReadinessCheck {
  constructor(private readonly typeOrm: TypeOrmHealthIndicator) {}

  check(): PromiseLike<HealthIndicatorResult> {
    return this.typeOrm.pingCheck('database').withTimeout(PING_TIMEOUT_MS);
  }
}
