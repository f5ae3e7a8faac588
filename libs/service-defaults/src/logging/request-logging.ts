import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Level, Logger } from 'pino';
import { runWithRequestId } from './request-context';
import { assignRequestId } from './request-id';

/** Probes and scrapes: never logged, they would drown the requests that matter. */
export const QUIET_PATHS: ReadonlySet<string> = new Set(['/health/live', '/health/ready', '/metrics']);

type Middleware = (request: IncomingMessage, response: ServerResponse, next: () => void) => void;

const pathOf = (url: string) => {
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
};

function levelOf(response: ServerResponse): Level {
  if (!response.writableFinished) return 'warn';
  return response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info';
}

/**
 * Gives each request its id (`X-Request-Id`, see `assignRequestId`), makes it the `requestId`
 * of every line logged while the request is handled, and logs one line when the response is
 * done: `request completed` (`req.method`, `req.url`, `res.statusCode`, `responseTime` in ms;
 * 4xx at `warn`, 5xx at `error`), or `request aborted` at `warn` when the connection closed
 * first. Quiet paths get an id but no line. Nothing is built for a line the level leaves out.
 */
export function requestLogging(logger: Logger): Middleware {
  return (request, response, next) => {
    const requestId = assignRequestId(request, response);
    const url = request.url ?? '/';
    if (!QUIET_PATHS.has(pathOf(url)) && logger.isLevelEnabled('error')) {
      const started = performance.now();
      const method = request.method;
      response.once('close', () => {
        const level = levelOf(response);
        if (!logger.isLevelEnabled(level)) return;
        logger[level](
          {
            requestId,
            req: { method, url },
            res: { statusCode: response.statusCode },
            responseTime: Math.round(performance.now() - started),
          },
          response.writableFinished ? 'request completed' : 'request aborted',
        );
      });
    }
    runWithRequestId(requestId, next);
  };
}
