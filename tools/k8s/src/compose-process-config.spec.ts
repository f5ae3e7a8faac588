import { composeServices } from '../../stack/test/support/deployment-support';
import { PROCESSES } from '../../stack/src/processes';
import { type Environment, readAtStart, refusals } from './process-config-readers';

/** A service's environment as `docker compose up` gives it with nothing set on the host (no `.env`). */
function environmentOf(service: string): Environment {
  const declared = composeServices()[service]?.environment;
  if (!declared) throw new Error(`docker/compose.yaml has no service ${service} with an environment`);
  return Object.fromEntries(Object.entries(declared).map(([name, value]) => [name, String(value)]));
}

describe('the environment of every compose service (docker/compose.yaml) against its process’s own checks', () => {
  it.each(PROCESSES.map((process) => [process.name, process] as const))('%s starts with it', (name, process) => {
    const areas = readAtStart(name, environmentOf(name));
    expect(refusals(areas)).toEqual([]);
    expect(areas.app).toMatchObject({ nodeEnv: 'production', host: '0.0.0.0' });
    if (process.database) expect(areas.database).toMatchObject({ kind: 'postgres' });
  });

  it('the backfill starts with the monolith’s checks', () => {
    expect(refusals(readAtStart('legacy-monolith', environmentOf('backfill')))).toEqual([]);
  });

  it('can fail: the monolith without its administrator password is refused in production', () => {
    const { ADMIN_PASSWORD: _dropped, ...environment } = environmentOf('legacy-monolith');
    const areas = readAtStart('legacy-monolith', environment);
    expect(refusals(areas).map(([area]) => area)).toEqual(['customers']);
  });
});
