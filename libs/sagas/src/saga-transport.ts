import { firstValueFrom } from 'rxjs';
import { RedisStreamsClient } from '@app/redis-streams';
import type { SagaCommand } from './define-saga';

/** A command's reply, with the headers its handler set (`ReplyHeaders` of `@app/redis-streams`). */
export interface SagaReply {
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string>>;
}

/** How a runner sends a step's command and gets its reply (rejects on any failure: the runner retries). */
export interface SagaTransport {
  send(command: SagaCommand, request: Readonly<Record<string, unknown>>, timeoutMs: number): Promise<SagaReply>;
  close(): Promise<void>;
}

export interface RedisStreamsTransportOptions {
  /** The sending service (`origin` of the requests). */
  readonly origin: string;
  readonly url: string;
  readonly prefix: string;
}

/** Commands over `@app/redis-streams`: one client per service asked, made on first use. */
export class RedisStreamsSagaTransport implements SagaTransport {
  private readonly clients = new Map<string, RedisStreamsClient>();

  constructor(private readonly options: RedisStreamsTransportOptions) {}

  async send(command: SagaCommand, request: Readonly<Record<string, unknown>>, timeoutMs: number): Promise<SagaReply> {
    let client = this.clients.get(command.service);
    if (!client) {
      client = new RedisStreamsClient({ ...this.options, service: command.service });
      this.clients.set(command.service, client);
    }
    let headers: Readonly<Record<string, string>> = {};
    const body = await firstValueFrom(
      client.send(command.pattern, request, {
        timeoutMs,
        headers: command.headers,
        onHeaders: (received) => (headers = received),
      }),
    );
    return { body, headers };
  }

  async close(): Promise<void> {
    const clients = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(clients.map((client) => client.close()));
  }
}
