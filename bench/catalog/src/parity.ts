import { CONSISTENCY_HEADER } from '@app/contracts';
import type { Side } from './facade-rules';
import { type Kind, PARITY_KINDS } from './requests';

/** Requests compared per kind (of {@link PARITY_KINDS}) before measuring. */
const SAMPLES_PER_KIND = 25;

export interface ParityReport {
  readonly checked: number;
  /** Requests whose status or body differed between the two sides. */
  readonly mismatches: number;
  readonly examples: readonly { path: string; monolith: string; catalog: string }[];
}

export interface Answer {
  readonly status: number;
  readonly upstream: string | null;
  /** `x-ficus-consistency` (`stale` when the side answered before applying what the request awaited). */
  readonly consistency: string | null;
  readonly body: string;
}

/** A `GET` through the facade, as a browser's API call. */
export async function ask(baseUrl: string, path: string): Promise<Answer> {
  const response = await fetch(`${baseUrl}${path}`, { headers: { accept: 'application/json' } });
  return {
    status: response.status,
    upstream: response.headers.get('x-strangler-upstream'),
    consistency: response.headers.get(CONSISTENCY_HEADER),
    body: await response.text(),
  };
}

export const short = (answer: Answer) => `${answer.status} ${answer.body.slice(0, 300)}`;

/**
 * Asks a sample of each kind's paths through both sides of the facade: each side must answer
 * 200 from the upstream it is meant to reach (`x-strangler-upstream`), or the run fails; the
 * bodies should be the same byte for byte (the catalog answers as the monolith), and any
 * difference is reported.
 */
export async function checkParity(
  facadeUrls: Record<Side, string>,
  paths: Record<Kind, string[]>,
): Promise<ParityReport> {
  const sample = PARITY_KINDS.flatMap((kind) => paths[kind].slice(0, SAMPLES_PER_KIND));
  const examples: { path: string; monolith: string; catalog: string }[] = [];
  let mismatches = 0;
  for (const path of sample) {
    const monolith = await ask(facadeUrls.monolith, path);
    const catalog = await ask(facadeUrls.catalog, path);
    for (const [side, answer, upstream] of [
      ['monolith', monolith, 'legacy'],
      ['catalog', catalog, 'catalog'],
    ] as const) {
      if (answer.status !== 200 || answer.upstream !== upstream) {
        throw new Error(
          `${side} side: ${path} answered ${answer.status} from upstream ${answer.upstream} (expected 200 from ${upstream}): ${answer.body.slice(0, 500)}`,
        );
      }
    }
    if (monolith.body !== catalog.body) {
      mismatches++;
      if (examples.length < 3) examples.push({ path, monolith: short(monolith), catalog: short(catalog) });
    }
  }
  return { checked: sample.length, mismatches, examples };
}
