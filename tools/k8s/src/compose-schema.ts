import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';

/**
 * The Compose Specification's JSON schema, as `docker compose` validates with it: a copy of
 * compose-spec/compose-go's schema/compose-spec.json (Apache-2.0; compose-spec/README.md says which).
 */
export const COMPOSE_SCHEMA_FILE = join(__dirname, '../compose-spec/compose-spec.json');

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
