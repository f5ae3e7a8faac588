import { AdminApiError, CliError } from './cli-errors';
import type { Connection } from './admin-connection';

export const REQUEST_TIMEOUT_MS = 30_000;

/** The admin API over HTTP: JSON in, JSON out, errors as {@link AdminApiError}. */
export class AdminClient {
  constructor(private readonly connection: Connection) {}

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  send<T>(method: 'POST' | 'PUT' | 'PATCH', path: string, body: unknown): Promise<T> {
    return this.request<T>(method, path, body);
  }

  /** The current version's number, read just before a write that names no `--expect`. */
  async currentVersion(): Promise<number> {
    return (await this.get<{ current: number }>('/admin/rules/versions?limit=1')).current;
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const url = `${this.connection.url}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${this.connection.token}`,
          'x-strangler-author': this.connection.author,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const detail = cause?.code ?? cause?.message ?? (error as Error).message;
      throw new CliError(`Cannot reach the admin API at ${this.connection.url} (${detail}).`);
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      throw new CliError(`The admin API answered ${response.status} with something that is not JSON.`);
    }
    if (!response.ok) {
      const error = (parsed ?? {}) as { code?: unknown; message?: unknown };
      const messages = Array.isArray(error.message) ? error.message.map(String) : [String(error.message ?? text)];
      throw new AdminApiError(
        response.status,
        typeof error.code === 'string' ? error.code : 'HTTP_ERROR',
        messages,
        parsed,
      );
    }
    return parsed as T;
  }
}
