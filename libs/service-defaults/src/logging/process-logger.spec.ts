import { Logger } from '@nestjs/common';
import { Writable } from 'node:stream';
import { ProcessLogger, createProcessLogger } from './process-logger';
import { runWithRequestId } from './request-context';

class Lines extends Writable {
  readonly lines: Record<string, unknown>[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString().split('\n').filter(Boolean)) this.lines.push(JSON.parse(line));
    done();
  }
}

describe('ProcessLogger', () => {
  let out: Lines;
  let logger: ProcessLogger;

  beforeEach(() => {
    out = new Lines();
    logger = createProcessLogger({ processName: 'seed', level: 'debug', destination: out });
    Logger.overrideLogger(logger);
  });
  afterAll(() => Logger.overrideLogger(false));

  it('writes what Nest loggers log as one JSON line each, with the shared keys', () => {
    new Logger('Seed').log({ productsCreated: 3 }, 'Demo data loaded');
    new Logger('Auth').warn('JWT_SECRET is not set');
    new Logger().debug('no context');
    expect(out.lines).toEqual([
      {
        level: 'info',
        time: expect.any(String),
        service: 'seed',
        context: 'Seed',
        productsCreated: 3,
        msg: 'Demo data loaded',
      },
      { level: 'warn', time: expect.any(String), service: 'seed', context: 'Auth', msg: 'JWT_SECRET is not set' },
      { level: 'debug', time: expect.any(String), service: 'seed', msg: 'no context' },
    ]);
    expect(new Date(out.lines[0]?.time as string).toISOString()).toBe(out.lines[0]?.time);
  });

  it('puts errors under err, whichever way Nest passes them', () => {
    const error = Object.assign(new TypeError('disk full'), { code: 'ENOSPC' });
    new Logger('Store').error(error);
    new Logger('ExceptionHandler').error('boom', 'Error: boom\n    at somewhere (file.js:1:1)');
    new Logger('Filter').error({ err: error, code: 'INTERNAL_ERROR' }, 'unexpected');
    expect(out.lines).toEqual([
      expect.objectContaining({
        level: 'error',
        context: 'Store',
        msg: 'disk full',
        err: expect.objectContaining({
          type: 'TypeError',
          message: 'disk full',
          code: 'ENOSPC',
          stack: expect.any(String),
        }),
      }),
      expect.objectContaining({
        context: 'ExceptionHandler',
        msg: 'boom',
        err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at somewhere (file.js:1:1)' },
      }),
      expect.objectContaining({
        context: 'Filter',
        code: 'INTERNAL_ERROR',
        msg: 'unexpected',
        err: expect.objectContaining({ type: 'TypeError', message: 'disk full' }),
      }),
    ]);
  });

  it('adds the id of the request being handled', async () => {
    await runWithRequestId('req-1', async () => {
      await Promise.resolve();
      new Logger('Orders').log('placed');
    });
    new Logger('Orders').log('outside');
    expect(out.lines.map((line) => [line.msg, line.requestId])).toEqual([
      ['placed', 'req-1'],
      ['outside', undefined],
    ]);
  });

  it('writes nothing below its level', () => {
    const quiet = createProcessLogger({ processName: 'seed', level: 'warn', destination: out });
    quiet.log('hidden', 'Seed');
    quiet.verbose('hidden', 'Seed');
    quiet.warn('shown', 'Seed');
    expect(out.lines.map((line) => line.msg)).toEqual(['shown']);
  });

  it('never writes Authorization or Cookie headers', () => {
    new Logger('Proxy').log(
      { req: { headers: { authorization: 'Bearer secret', cookie: 'sid=secret', accept: '*/*' } } },
      'seen',
    );
    expect(out.lines[0]?.req).toEqual({
      headers: { authorization: '[redacted]', cookie: '[redacted]', accept: '*/*' },
    });
  });
});
