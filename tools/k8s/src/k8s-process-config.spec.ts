import { PROCESSES } from '../../stack/src/processes';
import { containerOf, environmentOf, named, valuesOf } from './k8s-object';
import { DEV_OVERLAY as DEV, rendered } from './kustomize';
import { type Environment, READERS, readAtStart, refusals } from './process-config-readers';

// DEV: the overlay whose Secrets have values; the prod overlay gives the same variables from the same places.

const environmentOfDeployment = (name: string): Environment => {
  const objects = rendered(DEV);
  return valuesOf(environmentOf(objects, containerOf(named(objects, 'Deployment', name))));
};

describe('the environment of every container (k8s/overlays/dev) against its process’s own checks', () => {
  it('knows the checks of every process of the table', () => {
    expect(Object.keys(READERS).sort()).toEqual(PROCESSES.map((spec) => spec.name).sort());
  });

  it.each(PROCESSES.map((spec) => [spec.name, spec] as const))('%s starts with it', (name, spec) => {
    const environment = environmentOfDeployment(name);
    const areas = readAtStart(name, environment);
    expect(refusals(areas)).toEqual([]);
    expect(areas.app).toMatchObject({ nodeEnv: 'production', host: '0.0.0.0' });
    expect(areas.auth).toMatchObject({ usingDevelopmentSecret: false });
    if (spec.database) expect(areas.database).toMatchObject({ kind: 'postgres' });
    if (spec.needsRedis && areas.events) {
      expect(areas.events).toMatchObject({ redisUrl: environment.REDIS_URL, redisPrefix: environment.REDIS_PREFIX });
    }
  });

  it('strangler: both planes on the pod’s address, its tokens, its rules file and history where mounted', () => {
    const areas = readAtStart('strangler', environmentOfDeployment('strangler'));
    expect(areas.strangler).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      rulesFile: '/etc/ficus/rules/rules.yaml',
      historyDir: '/app/data/strangler',
    });
    const tokens = (areas.strangler as { adminTokens: { name: string; role: string }[] }).adminTokens;
    expect(tokens.map(({ name, role }) => `${name}:${role}`)).toEqual(['admin:operator', 'metrics:read-only']);
    expect(areas.app).toMatchObject({ port: 8081, host: '0.0.0.0' });
  });

  it('the monolith’s backfill Job starts with its environment', () => {
    const objects = rendered(DEV);
    const job = named(objects, 'Job', 'legacy-monolith-backfill');
    const environment = valuesOf(environmentOf(objects, containerOf(job, 'backfill')));
    expect(refusals(readAtStart('legacy-monolith', environment))).toEqual([]);
  });

  // The checks can fail: without a secret the processes require in production, they refuse to start.
  it.each([
    ['legacy-monolith', ['ADMIN_PASSWORD'], 'customers'],
    ['catalog', ['JWT_SECRET'], 'auth'],
    ['strangler', ['STRANGLER_ADMIN_TOKEN', 'STRANGLER_ADMIN_TOKENS'], 'strangler'],
  ])('%s without %j is refused (%s)', (name, variables, area) => {
    const environment = Object.fromEntries(
      Object.entries(environmentOfDeployment(name)).filter(([variable]) => !variables.includes(variable)),
    );
    expect(refusals(readAtStart(name, environment)).map(([refused]) => refused)).toEqual([area]);
  });
});
