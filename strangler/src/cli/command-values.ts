import type { RouteMode } from '../rules/rule-set.schema';
import { UsageError } from './cli-errors';

/**
 * Readers of argument and option values: each takes the text as typed and returns the value,
 * or throws {@link UsageError} with a message that names the argument and what it accepts.
 */
export type ValueReader<T> = (text: string, previous?: T) => T;

/** The modes of `ROUTE_MODES`, without loading the schema library at start-up (a spec keeps them equal). */
export const CLI_ROUTE_MODES: readonly RouteMode[] = ['legacy', 'shadow', 'canary', 'live'];

/** An integer from `min` to `max`, digits only. */
export function integerValue(what: string, min: number, max: number): ValueReader<number> {
  return (text) => {
    const value = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw new UsageError(`${what} must be an integer from ${min} to ${max}, not ${JSON.stringify(text)}.`);
    }
    return value;
  };
}

/** A version number (1 and up). */
export const versionValue = (what: string) => integerValue(what, 1, Number.MAX_SAFE_INTEGER);

/** `none` removes a field (`null`); anything else is read by `read`. */
export function orNone<T>(read: ValueReader<T>): ValueReader<T | null> {
  return (text) => (text === 'none' ? null : read(text));
}

export const modeValue: ValueReader<RouteMode> = (text) => {
  if (!CLI_ROUTE_MODES.includes(text as RouteMode)) {
    throw new UsageError(`--mode must be one of ${CLI_ROUTE_MODES.join(', ')}, not ${JSON.stringify(text)}.`);
  }
  return text as RouteMode;
};

export const percentValue: ValueReader<number | null> = orNone((text) => {
  const percent = /^\d+(\.\d{1,2})?$/.test(text) ? Number(text) : NaN;
  if (!(percent >= 0 && percent <= 100)) {
    throw new UsageError(`--percent must be a number from 0 to 100 (or none), not ${JSON.stringify(text)}.`);
  }
  return percent;
});

/** What the rules accept for `stickyBy` (the server checks it again). */
const STICKY_BY = /^(jwt\.sub|ip|header:[A-Za-z0-9!#$%&'*+.^_`|~-]+|cookie:[^\s;=,]+)$/;

export const stickyByValue: ValueReader<string | null> = orNone((text) => {
  if (!STICKY_BY.test(text)) {
    throw new UsageError(
      `--sticky-by must be jwt.sub, ip, header:NAME or cookie:NAME (or none), not ${JSON.stringify(text)}.`,
    );
  }
  return text;
});

export const fallbackValue: ValueReader<boolean | null> = (text) => {
  if (text !== 'true' && text !== 'false' && text !== 'none') {
    throw new UsageError(`--fallback must be true, false or none, not ${JSON.stringify(text)}.`);
  }
  return text === 'none' ? null : text === 'true';
};

/** `-H 'name: value'`, repeatable: the headers so far, with this one added (names in lower case). */
export const headerValue: ValueReader<Readonly<Record<string, string>>> = (text, previous = {}) => {
  const colon = text.indexOf(':');
  const name = text.slice(0, colon).trim().toLowerCase();
  if (colon <= 0 || !/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name)) {
    throw new UsageError(`-H must be 'name: value', not ${JSON.stringify(text)}.`);
  }
  return { ...previous, [name]: text.slice(colon + 1).trim() };
};

/** Text that must not be empty. */
export function textValue(what: string): ValueReader<string> {
  return (text) => {
    if (text.trim() === '') throw new UsageError(`${what} must not be empty.`);
    return text;
  };
}
