import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiErrorResponses, queryInteger } from '@app/api-conventions';
import { ActiveRules } from '../../rules';
import { DATA_PLANE_STATS } from '../admin-deps';
import { ADMIN_APP_ERRORS } from '../admin.errors';
import type { CircuitStatusView, DataPlaneStats, TrippedRoute } from '../data-plane-stats';
import { type TrafficReport, TrafficReportSchema, trafficReport } from './traffic-report';

export const DEFAULT_TRAFFIC_MINUTES = 5;
export const MAX_TRAFFIC_MINUTES = 60;

const TrafficQuerySchema = z.object({
  minutes: queryInteger({ min: 1, max: MAX_TRAFFIC_MINUTES, default: DEFAULT_TRAFFIC_MINUTES }),
});

const TrippedRoutesSchema = z
  .object({
    guards: z.array(
      z
        .object({ route: z.string(), target: z.string(), reason: z.string(), since: z.iso.datetime() })
        .meta({ id: 'TrippedRoute' }),
    ),
  })
  .meta({ id: 'TrippedRoutes' });

const CircuitsSchema = z
  .object({
    circuits: z.array(
      z
        .object({ upstream: z.string(), state: z.enum(['closed', 'open', 'half-open']), since: z.iso.datetime() })
        .meta({ id: 'CircuitStatus' }),
    ),
  })
  .meta({ id: 'Circuits' });

@ApiTags('routing')
@ApiBearerAuth()
@Controller('admin')
export class TrafficHttpController {
  constructor(
    private readonly rules: ActiveRules,
    @Inject(DATA_PLANE_STATS) private readonly stats: DataPlaneStats,
  ) {}

  @Get('traffic')
  @ApiOperation({
    summary: 'Per-route split between legacy and target over the last minutes, as this instance served it.',
  })
  @ApiResponse({ status: 200, description: 'Every route with its traffic.', standardSchema: TrafficReportSchema })
  @ApiErrorResponses(ADMIN_APP_ERRORS, 'VALIDATION_FAILED', 'UNAUTHENTICATED')
  traffic(@Query({ schema: TrafficQuerySchema }) query: z.output<typeof TrafficQuerySchema>): TrafficReport {
    return trafficReport(this.rules.current, this.stats.trafficSplit(query.minutes));
  }

  @Get('guards')
  @ApiOperation({ summary: 'Routes whose guard has tripped and that legacy serves for now (this instance).' })
  @ApiResponse({ status: 200, description: 'The tripped guards.', standardSchema: TrippedRoutesSchema })
  @ApiErrorResponses(ADMIN_APP_ERRORS, 'UNAUTHENTICATED')
  guards(): { guards: readonly TrippedRoute[] } {
    return { guards: this.stats.trippedRoutes() };
  }

  @Get('circuits')
  @ApiOperation({ summary: 'The upstreams’ circuit breakers (those whose rules configure one; this instance).' })
  @ApiResponse({ status: 200, description: 'The circuit breakers.', standardSchema: CircuitsSchema })
  @ApiErrorResponses(ADMIN_APP_ERRORS, 'UNAUTHENTICATED')
  circuits(): { circuits: readonly CircuitStatusView[] } {
    return { circuits: this.stats.circuits?.() ?? [] };
  }
}
