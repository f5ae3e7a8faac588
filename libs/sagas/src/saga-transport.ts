import { firstValueFrom } from 'rxjs';
import { RedisStreamsClient } from '@app/redis-streams';
import type { SagaCommand } from './define-saga';

/** How a runner sends a step's command and gets its reply (rejects on any failure: the runner retries). */
export interface SagaTransport {
  send(command: SagaCommand, request: Readonly<Record<string, unknown>>, timeoutMs: number): Promise<unknown>;
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

  async send(command: SagaCommand, request: Readonly<Record<string, unknown>>, timeoutMs: number): Promise<unknown> {
    let client = this.clients.get(command.service);
    if (!client) {
      client = new RedisStreamsClient({ ...this.options, service: command.service });
      this.clients.set(command.service, client);
    }
    return firstValueFrom(client.send(command.pattern, request, { timeoutMs }));
  }

  async close(): Promise<void> {
    const clients = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(clients.map((client) => client.close()));
  }
}
