import { type BodyDifference, diffBodies } from './body-diff';
import type { JsonPath } from './json-path';
import type { NoiseModel } from './noise-model';
import type { PathPattern } from './path-pattern';

/** An upstream's answer, as the facade read it off the client's path. */
export interface ShadowAnswer {
  readonly status: number;
  /** Lower-case names, as Node gives them. */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly body: Buffer;
}

/** How two answers of one route are compared. */
export interface CompareSettings {
  /** Headers compared (lower-case), e.g. `content-type`; the others are not. */
  readonly headers: readonly string[];
  /** JSON body places left out, e.g. `**.updatedAt`. */
  readonly ignore: readonly PathPattern[];
}

/** One difference: in the status, a header (`header:etag`) or a body place (`body:items[0].id`). */
export interface AnswerDifference {
  readonly place: string;
  /** For a body place: its path in the document (for redaction). */
  readonly path?: JsonPath;
  /** The same with any array index as `*`: what noise is learnt by. */
  readonly general: string;
  readonly legacy: unknown;
  readonly target: unknown;
}

export interface Comparison {
  /** No difference but noise. */
  readonly equal: boolean;
  readonly differences: readonly AnswerDifference[];
  /** Differences at places known as noise, not counted. */
  readonly noise: readonly AnswerDifference[];
}

/** The most of a body that is not JSON kept in a difference. */
const TEXT_PREVIEW = 200;

/**
 * Compares legacy's answer with the target's: the status, the chosen headers and the body (JSON
 * compared place by place, anything else byte for byte). With `noise`, differences at places
 * where legacy's own answers differ are set apart and do not make the answers unequal.
 */
export function compareAnswers(
  legacy: ShadowAnswer,
  target: ShadowAnswer,
  settings: CompareSettings,
  noise?: NoiseModel,
): Comparison {
  const differences: AnswerDifference[] = [];
  const noisy: AnswerDifference[] = [];
  for (const difference of differencesOf(legacy, target, settings)) {
    (noise?.isNoise(difference.general) ? noisy : differences).push(difference);
  }
  return { equal: differences.length === 0, differences, noise: noisy };
}

/** The places where two answers differ, for {@link compareAnswers} and for learning noise from two legacy answers. */
export function differencesOf(
  legacy: ShadowAnswer,
  target: ShadowAnswer,
  settings: CompareSettings,
): AnswerDifference[] {
  const differences: AnswerDifference[] = [];
  if (legacy.status !== target.status) {
    differences.push({ place: 'status', general: 'status', legacy: legacy.status, target: target.status });
  }
  for (const name of settings.headers) {
    const [a, b] = [headerText(legacy, name), headerText(target, name)];
    if (a !== b) differences.push({ place: `header:${name}`, general: `header:${name}`, legacy: a, target: b });
  }
  const [a, b] = [parsedBody(legacy), parsedBody(target)];
  if (a.json && b.json) {
    differences.push(...diffBodies(a.value, b.value, settings.ignore).map(bodyDifference));
  } else if (!legacy.body.equals(target.body)) {
    differences.push({
      place: 'body:$',
      general: 'body:$',
      legacy: preview(legacy.body),
      target: preview(target.body),
    });
  }
  return differences;
}

function bodyDifference(difference: BodyDifference): AnswerDifference {
  return {
    place: `body:${difference.path}`,
    path: difference.raw,
    general: `body:${difference.general}`,
    legacy: difference.legacy,
    target: difference.target,
  };
}

function headerText(answer: ShadowAnswer, name: string): string | undefined {
  const value = answer.headers[name];
  return Array.isArray(value) ? value.join(', ') : (value as string | undefined);
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

function parsedBody(answer: ShadowAnswer): { json: true; value: unknown } | { json: false } {
  const type = headerText(answer, 'content-type') ?? '';
  if (!JSON_TYPE.test(type) || answer.body.length === 0) return { json: false };
  try {
    return { json: true, value: JSON.parse(answer.body.toString('utf8')) };
  } catch {
    return { json: false };
  }
}

function preview(body: Buffer): string {
  const text = body.toString('utf8');
  if (text.includes('\uFFFD')) return `<${body.length} bytes, not text>`;
  return text.length > TEXT_PREVIEW ? `${text.slice(0, TEXT_PREVIEW)}… (${body.length} bytes)` : text;
}
