import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PROCESSES, type ProcessSpec } from '../../stack/src/processes';
import { findRepositoryRoot } from '../../stack/src/repository-root';
import { type Environment, READERS, readAll, refusals } from './process-config-readers';

const compose = parse(readFileSync(join(findRepositoryRoot(__dirname), 'docker/compose.yaml'), 'utf8'), {
  merge: true,
}) as { services: Record<string, { environment?: Record<string, string> }> };

/**
 * A service's environment as `docker compose up` gives it with nothing set on the host (no `.env`):
 * `${NAME:-default}` is its default, `${NAME}` empty. Any other form of interpolation is refused, so
 * that this check never reads a value compose would not give.
 */
function environmentOf(service: string): Environment {
  const declared = compose.services[service]?.environment;
  if (!declared) throw new Error(`docker/compose.yaml has no service ${service} with an environment`);
  return Object.fromEntries(
    Object.entries(declared).map(([name, value]) => {
      const text = String(value).replace(
        /\$\{([A-Z_][A-Z0-9_]*)(?::-([^}]*))?\}/g,
        (_, _name, fallback = '') => fallback,
      );
      if (text.includes('$'))
        throw new Error(`${service}.${name}: an interpolation this check does not know: ${value}`);
      return [name, text];
    }),
  );
}

const spec = (name: string): ProcessSpec => PROCESSES.find((candidate) => candidate.name === name)!;

describe('the environment of every compose service (docker/compose.yaml) against its process’s own checks', () => {
  it.each(PROCESSES.map((process) => [process.name, process] as const))('%s starts with it', (name, process) => {
    const environment = environmentOf(name);
    const areas = readAll(READERS[name]!(process), environment);
    expect(refusals(areas)).toEqual([]);
    expect(areas.app).toMatchObject({ nodeEnv: 'production', host: '0.0.0.0' });
    if (process.database) expect(areas.database).toMatchObject({ kind: 'postgres' });
  });

  it('the backfill starts with the monolith’s checks', () => {
    expect(refusals(readAll(READERS['legacy-monolith']!(spec('legacy-monolith')), environmentOf('backfill')))).toEqual(
      [],
    );
  });

  it('can fail: the monolith without its administrator password is refused in production', () => {
    const { ADMIN_PASSWORD: _dropped, ...environment } = environmentOf('legacy-monolith');
    const areas = readAll(READERS['legacy-monolith']!(spec('legacy-monolith')), environment);
    expect(refusals(areas).map(([area]) => area)).toEqual(['customers']);
  });
});
