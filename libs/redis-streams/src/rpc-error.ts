import { RpcException } from '@nestjs/microservices';

/** What travels back to a caller when its request failed. */
export interface RpcErrorBody {
  readonly status: 'error';
  readonly code: string;
  readonly message: string | readonly string[];
  /** The HTTP status the code maps to in the handler's catalogue, when known. */
  readonly statusCode?: number;
}

/**
 * Normalises what a handler's error became after the app's exception filter: an object
 * with a `code` keeps it; anything else is `STREAMS_HANDLER_FAILED`.
 */
export function toRpcErrorBody(error: unknown): RpcErrorBody {
  if (error && typeof error === 'object') {
    const { code, message, statusCode } = error as Record<string, unknown>;
    const text =
      typeof message === 'string' || Array.isArray(message)
        ? (message as string | string[])
        : String(message ?? 'Handler failed');
    return {
      status: 'error',
      code: typeof code === 'string' ? code : 'STREAMS_HANDLER_FAILED',
      message: text,
      ...(typeof statusCode === 'number' ? { statusCode } : {}),
    };
  }
  return { status: 'error', code: 'STREAMS_HANDLER_FAILED', message: String(error) };
}

/**
 * A request's failure as the caller sees it: an `RpcException` whose `code` is the
 * handler's error code.
 *
 * @example
 * try { await firstValueFrom(payments.send('wallet.charge', …)); }
 * catch (error) { if (error instanceof RedisStreamsRemoteError && error.code === 'INSUFFICIENT_FUNDS') … }
 */
export class RedisStreamsRemoteError extends RpcException {
  readonly code: string;

  constructor(readonly body: RpcErrorBody) {
    super(body);
    this.code = body.code;
    this.name = 'RedisStreamsRemoteError';
  }
}
