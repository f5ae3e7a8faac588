import { PATTERN_FORMAT } from './primitives';
import { SERVICE_NAMES } from './services';

/**
 * Checks what a define* helper was given. Definitions are made once, when the module loads, so a
 * mistake stops the import with a message saying what to fix.
 */
export function assertDefinition(
  helper: string,
  spec: { pattern: string; schemaVersion: number; description: string },
  services: Readonly<Record<string, readonly string[]>>,
): void {
  const fail = (problem: string): never => {
    throw new TypeError(`${helper}(${JSON.stringify(spec.pattern)}): ${problem}`);
  };
  if (!PATTERN_FORMAT.test(spec.pattern)) {
    fail('pattern must be lower case a-z, 0-9, ".", "_" and "-", starting with a letter or digit');
  }
  if (!Number.isInteger(spec.schemaVersion) || spec.schemaVersion < 1) fail('schemaVersion must be an integer >= 1');
  if (spec.description.trim() === '') fail('description must say what the message means');
  for (const [field, names] of Object.entries(services)) {
    for (const name of names) {
      if (!(SERVICE_NAMES as readonly string[]).includes(name)) {
        fail(`${field} names "${name}", which is not one of ${SERVICE_NAMES.join(', ')}`);
      }
    }
    if (new Set(names).size !== names.length) fail(`${field} lists a service twice`);
  }
}
