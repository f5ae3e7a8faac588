import { Controller, Get, Inject, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { AllowAnonymous } from '../http/allow-anonymous.decorator';
import { HealthCheck, HealthCheckResult, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { HealthResponseFilter } from './health-response.filter';
import { READINESS_CHECKS, ReadinessCheck } from './readiness-check';
import { ShutdownState } from './shutdown-state';

/**
 * `GET /health/live`: the process runs and answers (a restart would not help otherwise).
 * `GET /health/ready`: it can take traffic: every dependency answers and it is not shutting down.
 */
@ApiExcludeController()
@AllowAnonymous()
@UseFilters(HealthResponseFilter)
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly shutdown: ShutdownState,
    @Inject(READINESS_CHECKS) private readonly checks: readonly ReadinessCheck[],
  ) {}

  @Get('live')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([async () => this.indicators.check('process').up({ pid: process.pid })]);
  }

  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      async () => {
        const session = this.indicators.check('lifecycle');
        return this.shutdown.draining ? session.down({ message: 'shutting down' }) : session.up();
      },
      ...this.checks.map((check) => () => check.check()),
    ]);
  }
}
