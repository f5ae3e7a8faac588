import { RpcException } from '@nestjs/microservices';
import { RedisStreamsRemoteError, toRpcErrorBody } from './rpc-error';

describe('RPC errors', () => {
  it('keeps the code, message and status of a filtered domain error', () => {
    expect(toRpcErrorBody({ status: 'error', code: 'INSUFFICIENT_FUNDS', message: 'no', statusCode: 409 })).toEqual({
      status: 'error',
      code: 'INSUFFICIENT_FUNDS',
      message: 'no',
      statusCode: 409,
    });
  });

  it('names an error without a code STREAMS_HANDLER_FAILED', () => {
    expect(toRpcErrorBody({ status: 'error', message: 'Internal server error' })).toEqual({
      status: 'error',
      code: 'STREAMS_HANDLER_FAILED',
      message: 'Internal server error',
    });
    expect(toRpcErrorBody('boom')).toEqual({ status: 'error', code: 'STREAMS_HANDLER_FAILED', message: 'boom' });
  });

  it('reaches callers as an RpcException with the code', () => {
    const error = new RedisStreamsRemoteError({ status: 'error', code: 'X', message: 'why' });
    expect(error).toBeInstanceOf(RpcException);
    expect(error.code).toBe('X');
    expect(error.message).toBe('why');
    expect(error.getError()).toEqual({ status: 'error', code: 'X', message: 'why' });
  });
});
