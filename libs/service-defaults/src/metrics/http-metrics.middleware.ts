import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { MetricsRegistry } from './metrics.registry';

/** The catch-all route Nest adds to answer unknown paths with 404. */
const NEST_NOT_FOUND_ROUTE = '{/*splat}';

/** Times every request and counts it under its route pattern, never its raw path (bounded labels). */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: MetricsRegistry) {}

  use(request: Request, response: Response, next: NextFunction): void {
    const start = process.hrtime.bigint();
    response.once('finish', () => {
      const routePath = (request.route as { path?: unknown } | undefined)?.path;
      const labels = {
        method: request.method,
        route: typeof routePath === 'string' && routePath !== NEST_NOT_FOUND_ROUTE ? routePath : 'unmatched',
        status_class: `${Math.floor(response.statusCode / 100)}xx`,
      };
      this.metrics.httpRequests.inc(labels);
      this.metrics.httpDuration.observe(labels, Number(process.hrtime.bigint() - start) / 1e9);
    });
    next();
  }
}
