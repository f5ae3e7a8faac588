import { ArgumentsHost, Catch, ExceptionFilter, Inject, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { type Observable, throwError } from 'rxjs';
import { errorBody } from './error-body';
import { ErrorCatalog } from './error-catalog';
import { mapHttpError } from './http-error-mapping';
import { mapRpcError } from './rpc-error-mapping';

export const ERROR_CATALOG = Symbol('ERROR_CATALOG');

/**
 * The one exception filter of a process. Over HTTP every failure leaves as the error body
 * of the public API; for messages (RPC) it becomes `{ status: 'error', code, message,
 * statusCode }`, which the transport carries back to the caller or uses to decide
 * between a retry and the dead-letter stream.
 */
@Catch()
export class ServiceExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ServiceExceptionFilter');

  constructor(@Inject(ERROR_CATALOG) private readonly catalog: ErrorCatalog) {}

  catch(exception: unknown, host: ArgumentsHost): void | Observable<never> {
    if (host.getType() === 'rpc') {
      const mapped = mapRpcError(exception, this.catalog);
      if (mapped.unexpected) this.logUnexpected(exception, mapped.body.code);
      return throwError(() => mapped.body);
    }
    const response = host.switchToHttp().getResponse<Response>();
    const mapped = mapHttpError(exception, this.catalog);
    if (mapped.unexpected) this.logUnexpected(exception, mapped.code);
    if (response.headersSent) {
      response.destroy();
      return;
    }
    response.status(mapped.status).json(errorBody(mapped.status, mapped.code, mapped.message));
  }

  private logUnexpected(exception: unknown, code: string): void {
    this.logger.error({ err: exception, code }, exception instanceof Error ? exception.stack : String(exception));
  }
}
