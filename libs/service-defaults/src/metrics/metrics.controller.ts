import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { AllowAnonymous } from '../http/allow-anonymous.decorator';
import type { Response } from 'express';
import { MetricsRegistry } from './metrics.registry';

/** `GET /metrics`: the app's metrics in the Prometheus text format. */
@ApiExcludeController()
@AllowAnonymous()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsRegistry) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  async scrape(@Res() response: Response): Promise<void> {
    response.setHeader('Content-Type', this.metrics.registry.contentType);
    response.end(await this.metrics.registry.metrics());
  }
}
