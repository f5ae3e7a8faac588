import { ArgumentsHost, Catch, ExceptionFilter, Inject, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { errorBody } from './error-body';
import { ErrorCatalog } from './error-catalog';
import { mapHttpError } from './http-error-mapping';

export const ERROR_CATALOG = Symbol('ERROR_CATALOG');

/** The one filter of an HTTP app: every failure leaves as the error body of the public API. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  constructor(@Inject(ERROR_CATALOG) private readonly catalog: ErrorCatalog) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const mapped = mapHttpError(exception, this.catalog);
    if (mapped.unexpected) {
      this.logger.error(
        { err: exception, code: mapped.code },
        exception instanceof Error ? exception.stack : String(exception),
      );
    }
    if (response.headersSent) {
      response.destroy();
      return;
    }
    response.status(mapped.status).json(errorBody(mapped.status, mapped.code, mapped.message));
  }
}
