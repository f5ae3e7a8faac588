import { Agent, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type MiddlewareConsumer, Module, type NestModule, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createProxyMiddleware } from 'http-proxy-middleware';
import type { ProxyArguments } from '../protocol';
import type { Served } from '../serve';

function proxyModule(target: string, agent: Agent | undefined): Type<unknown> {
  @Module({})
  class ProxyModule implements NestModule {
    configure(consumer: MiddlewareConsumer): void {
      consumer.apply(createProxyMiddleware({ target, changeOrigin: true, agent })).forRoutes('*');
    }
  }
  return ProxyModule;
}

/**
 * The peer: what most Nest users would write for a proxy. A Nest app (Express) whose
 * module applies `http-proxy-middleware` 3 to every route, sending everything to the
 * upstream; Nest's defaults otherwise (body parser on; logger off to keep stderr quiet).
 *
 * With `keepAliveAgent` (the `nestHpm` contender) the middleware gets a keep-alive agent,
 * as the proxy guides advise. Without it (`nestHpmDefaults`, opt-in), http-proxy opens a
 * connection per request with `Connection: close`, and passes the upstream's
 * `Connection: close` on to the client, so every client connection is closed after one
 * request: that measures TCP set-up more than the framework.
 */
export async function startNestProxy(args: ProxyArguments, options: { keepAliveAgent: boolean }): Promise<Served> {
  const agent = options.keepAliveAgent ? new Agent({ keepAlive: true, maxSockets: 256 }) : undefined;
  const app = await NestFactory.create(proxyModule(args.upstreamUrl, agent), { logger: false });
  await app.listen(0, '127.0.0.1');
  const server = app.getHttpServer() as Server;
  return {
    port: (server.address() as AddressInfo).port,
    detail:
      'NestFactory.create (Express), consumer.apply(createProxyMiddleware({ target, changeOrigin: true' +
      (agent ? ', agent: new Agent({ keepAlive: true }) }' : ' }') +
      ')).forRoutes("*")',
    close: async () => {
      await app.close();
      agent?.destroy();
    },
  };
}
