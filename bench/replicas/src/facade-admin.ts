import { performance } from 'node:perf_hooks';
import { Client } from 'undici';

/** A request to the admin API not answered within this fails the run. */
const REQUEST_TIMEOUT_MS = 10_000;

/** What `GET /admin/status` answered, and when (`performance.now()` ms). */
export interface StatusReading {
  readonly activeVersion: number;
  readonly sentAt: number;
  readonly answeredAt: number;
}

/** A change made through one facade: the new version, and when its answer was read whole. */
export interface ChangeAnswer {
  readonly version: number;
  readonly sentAt: number;
  readonly answeredAt: number;
}

/**
 * One facade instance's admin API over a single keep-alive connection (undici), as the operator
 * `admin`: one request at a time, so that a status reading costs one round trip and nothing else.
 */
export class FacadeAdmin {
  private readonly client: Client;

  constructor(
    /** The launcher's name for the instance, e.g. `strangler#2`. */
    readonly name: string,
    readonly url: string,
    private readonly token: string,
  ) {
    this.client = new Client(url, {
      pipelining: 1,
      headersTimeout: REQUEST_TIMEOUT_MS,
      bodyTimeout: REQUEST_TIMEOUT_MS,
    });
  }

  /** `GET /admin/status`: the version this instance routes with. */
  async status(): Promise<StatusReading> {
    const sentAt = performance.now();
    const { statusCode, body } = await this.client.request({
      method: 'GET',
      path: '/admin/status',
      headers: { authorization: `Bearer ${this.token}`, accept: 'application/json' },
    });
    const text = await body.text();
    const answeredAt = performance.now();
    if (statusCode !== 200) throw new Error(`${this.name}: GET /admin/status answered ${statusCode}: ${text}`);
    return { activeVersion: (JSON.parse(text) as { activeVersion: number }).activeVersion, sentAt, answeredAt };
  }

  /**
   * `PATCH /admin/rules/groups/<group>` setting its routes' `timeoutMs`, expecting `expectedVersion`;
   * it must answer 201 with a new version.
   */
  async setGroupTimeout(group: string, timeoutMs: number, expectedVersion: number): Promise<ChangeAnswer> {
    const sentAt = performance.now();
    const { statusCode, body } = await this.client.request({
      method: 'PATCH',
      path: `/admin/rules/groups/${encodeURIComponent(group)}`,
      headers: {
        authorization: `Bearer ${this.token}`,
        accept: 'application/json',
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        timeoutMs,
        expectedVersion,
        reason: `replicas benchmark: ${group} timeout ${timeoutMs} ms`,
        author: 'replicas benchmark',
      }),
    });
    const text = await body.text();
    const answeredAt = performance.now();
    if (statusCode !== 201) {
      throw new Error(
        `${this.name}: PATCH /admin/rules/groups/${group} answered ${statusCode} instead of 201: ${text}`,
      );
    }
    const version = (JSON.parse(text) as { version: { version: number } }).version.version;
    return { version, sentAt, answeredAt };
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
