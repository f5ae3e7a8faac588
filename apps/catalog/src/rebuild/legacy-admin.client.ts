import { CatalogServiceError } from '../catalog-errors';
import type { RebuildConfig } from './rebuild.config';

/** How long the monolith may take to issue a token. */
export const TOKEN_TIMEOUT_MS = 10_000;
/** How long the monolith may take to write every snapshot to its outbox. */
export const BACKFILL_TIMEOUT_MS = 300_000;

/** What the monolith's backfill answers: how many snapshots it wrote. */
export interface BackfillCounts {
  readonly customers: number;
  readonly products: number;
}

/** The two admin routes of the monolith the rebuild calls, over HTTP (`LEGACY_URL`). */
export class LegacyAdminClient {
  constructor(private readonly config: RebuildConfig) {}

  /** An admin token from `POST /api/auth/token` with `ADMIN_EMAIL` and `ADMIN_PASSWORD`. */
  async adminToken(): Promise<string> {
    const body = await this.post(
      '/api/auth/token',
      { email: this.config.adminEmail, password: this.config.adminPassword },
      undefined,
      TOKEN_TIMEOUT_MS,
    );
    const token = (body as { accessToken?: unknown } | null)?.accessToken;
    if (typeof token !== 'string') throw this.refused('/api/auth/token', 'answered without an accessToken');
    return token;
  }

  /** `POST /api/admin/backfill`: the monolith publishes a snapshot of every customer and product. */
  async backfill(token: string): Promise<BackfillCounts> {
    const body = (await this.post('/api/admin/backfill', undefined, token, BACKFILL_TIMEOUT_MS)) as Partial<
      Record<keyof BackfillCounts, unknown>
    > | null;
    if (typeof body?.customers !== 'number' || typeof body.products !== 'number') {
      throw this.refused('/api/admin/backfill', 'answered without the counts { customers, products }');
    }
    return { customers: body.customers, products: body.products };
  }

  private async post(path: string, json: unknown, token: string | undefined, timeoutMs: number): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${this.config.legacyUrl}${path}`, {
        method: 'POST',
        headers: {
          ...(json === undefined ? {} : { 'content-type': 'application/json' }),
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        },
        body: json === undefined ? undefined : JSON.stringify(json),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new CatalogServiceError(
        'CATALOG_REBUILD_LEGACY_UNREACHABLE',
        `The monolith at LEGACY_URL=${this.config.legacyUrl} is unreachable (POST ${path}: ${describe(error)}); ` +
          'start it, or set LEGACY_URL to where it listens. Nothing was changed.',
      );
    }
    const text = await response.text();
    let body: unknown = null;
    try {
      body = text === '' ? null : JSON.parse(text);
    } catch {
      // Not JSON: reported below if the status says it failed, or by the caller for a missing field.
    }
    if (!response.ok) {
      const { code, message } = (body ?? {}) as { code?: unknown; message?: unknown };
      const detail = [code, Array.isArray(message) ? message.join('; ') : message].filter(Boolean).join(': ');
      const hint = response.status === 401 || response.status === 403 ? ' (check ADMIN_EMAIL and ADMIN_PASSWORD)' : '';
      throw this.refused(path, `answered ${response.status}${detail ? ` ${detail}` : ''}${hint}`);
    }
    return body;
  }

  private refused(path: string, what: string): CatalogServiceError {
    return new CatalogServiceError(
      'CATALOG_REBUILD_LEGACY_REFUSED',
      `The monolith at LEGACY_URL=${this.config.legacyUrl} ${what} to POST ${path}.`,
    );
  }
}

/** A fetch failure with its cause (`fetch failed: ECONNREFUSED`). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: { code?: unknown; message?: unknown } }).cause;
  const reason = cause ? (cause.code ?? cause.message) : undefined;
  return reason ? `${error.message}: ${String(reason)}` : error.message;
}
