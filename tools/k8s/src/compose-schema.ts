import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import { parse } from 'yaml';

/**
 * The Compose Specification's JSON schema, as `docker compose` validates with it: a copy of
 * compose-spec/compose-go's schema/compose-spec.json (Apache-2.0; compose-spec/README.md says which).
 */
export const COMPOSE_SCHEMA_FILE = join(__dirname, '../compose-spec/compose-spec.json');

type Environment = Readonly<Record<string, string | undefined>>;

// `$$`, `${NAME}`, `${NAME:-default}` and the other modifiers, `$NAME` (no nesting in defaults).
const VARIABLE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

function interpolateText(text: string, environment: Environment): string {
  return text.replace(VARIABLE, (match, braced?: string, modifier?: string, argument = '', bare?: string) => {
    if (match === '$$') return '$';
    const name = (braced ?? bare)!;
    const value = environment[name];
    const set = modifier?.startsWith(':') ? Boolean(value) : value !== undefined;
    switch (modifier?.replace(':', '')) {
      case '-':
        return set ? value! : argument;
      case '+':
        return set ? argument : '';
      case '?':
        if (!set) throw new Error(`${name} is required: ${argument}`);
        return value!;
      default:
        return value ?? '';
    }
  });
}

/** Every string value of a compose document with its variables replaced, as `docker compose` does before validating. */
export function interpolate(value: unknown, environment: Environment = {}): unknown {
  if (typeof value === 'string') return interpolateText(value, environment);
  if (Array.isArray(value)) return value.map((item) => interpolate(item, environment));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolate(item, environment)]));
  }
  return value;
}

/** A compose file as `docker compose` reads it: YAML with merge keys, interpolated from `environment`. */
export function readComposeFile(path: string, environment: Environment = {}): unknown {
  return interpolate(parse(readFileSync(path, 'utf8'), { merge: true }), environment);
}

let validator: ValidateFunction | undefined;

/** Every way `document` breaks the Compose Specification's schema, as `<path> <problem>`; empty when valid. */
export function composeSchemaProblems(document: unknown): string[] {
  // strictTypes off: the specification's own schema leaves `type` out beside some keywords, which Ajv
  // would otherwise refuse to compile; every other strict check (unknown keywords, formats) stays on.
  validator ??= new Ajv2020({ allErrors: true, strict: true, strictTypes: false }).compile(
    JSON.parse(readFileSync(COMPOSE_SCHEMA_FILE, 'utf8')) as object,
  );
  if (validator(document)) return [];
  return (validator.errors ?? []).map((error) => {
    const detail = 'additionalProperty' in error.params ? ` (${String(error.params.additionalProperty)})` : '';
    return `${error.instancePath || '/'} ${error.message ?? 'is invalid'}${detail}`;
  });
}
