import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  COMPOSE_FILE,
  type ComposeService,
  composeServices,
  deployedContext,
  interpolate,
  processNamed,
  tablePort,
} from '../test/support/deployment-support';
import { PROCESSES } from './processes';
import { findRepositoryRoot } from './repository-root';

const REPOSITORY_ROOT = findRepositoryRoot(__dirname);

const services = composeServices();
const service = (name: string): ComposeService => {
  const found = services[name];
  if (!found) throw new Error(`docker/compose.yaml has no service ${name}`);
  return found;
};
const dockerfile = readFileSync(join(REPOSITORY_ROOT, 'docker/Dockerfile'), 'utf8');
const initSql = readFileSync(join(REPOSITORY_ROOT, 'docker/postgres-init.sql'), 'utf8');

/** docker/compose.yaml and docker/Dockerfile against the launcher's table of processes: they cannot drift. */
describe('the compose stack (docker/compose.yaml)', () => {
  it.each(PROCESSES.map((spec) => [spec.name, spec] as const))(
    '%s: runs its entry, on its ports, ready on its probe path',
    (_name, spec) => {
      const row = service(spec.name);
      expect(row.command).toEqual([spec.entry]);
      for (const port of spec.ports) expect(row.environment?.[port.childVariable]).toBe(String(port.defaultPort));
      const probe = tablePort(spec, spec.readiness.port);
      expect(row.healthcheck?.test.join(' ')).toContain(`http://127.0.0.1:${probe.defaultPort}${spec.readiness.path}`);
      if (spec.needsRedis) {
        expect(row.environment?.REDIS_URL).toBe('redis://redis:6379');
        expect(row.depends_on?.redis).toEqual({ condition: 'service_healthy' });
      }
    },
  );

  it('listens on every interface inside its container, as a probe or the facade reaches it there', () => {
    for (const spec of PROCESSES) {
      const environment = service(spec.name).environment ?? {};
      if (spec.name === 'strangler') {
        expect(environment).toMatchObject({ STRANGLER_HOST: '0.0.0.0', STRANGLER_ADMIN_HOST: '0.0.0.0' });
      } else expect(environment.HOST).toBe('0.0.0.0');
    }
  });

  it('gives each process with a database its own PostgreSQL database, made by the init script', () => {
    const names = PROCESSES.filter((spec) => spec.database).map((spec) => {
      const url = service(spec.name).environment?.DATABASE_URL ?? '';
      expect(url).toMatch(/^postgres:\/\/ficus:.*@postgres:5432\/ficus_[a-z]+$/);
      expect(service(spec.name).depends_on?.postgres).toEqual({ condition: 'service_healthy' });
      return url.slice(url.lastIndexOf('/') + 1);
    });
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(initSql).toContain(`CREATE DATABASE ${name};`);
  });

  it("runs each row's one-shot step once the row is ready, and starts the rows after it once the step succeeded", () => {
    PROCESSES.forEach((spec, index) => {
      if (!spec.afterReady) return;
      const step = service(spec.afterReady.name);
      expect(step.command).toEqual([spec.afterReady.entry]);
      expect(step.restart).toBe('no');
      expect(step.depends_on?.[spec.name]).toEqual({ condition: 'service_healthy' });
      for (const later of PROCESSES.slice(index + 1).filter((row) => row.database)) {
        expect({ [later.name]: service(later.name).depends_on?.[spec.afterReady!.name] }).toEqual({
          [later.name]: { condition: 'service_completed_successfully' },
        });
      }
    });
  });

  it('points the facade at every other process by its service name, allowed, and starts it once they are ready', () => {
    const facade = service('strangler');
    const others = PROCESSES.filter((spec) => spec.name !== 'strangler');
    // The launcher's upstream variables, with the service names of compose instead of 127.0.0.1.
    const upstreams = Object.entries(processNamed('strangler').env!(deployedContext())).filter(([name]) =>
      name.startsWith('STRANGLER_UPSTREAM_'),
    );
    expect(upstreams.length).toBe(others.length);
    for (const [name, url] of upstreams) {
      const port = new URL(url).port;
      const target = others.find((spec) => String(tablePort(spec).defaultPort) === port)!;
      expect({ [name]: facade.environment?.[name] }).toEqual({ [name]: `http://${target.name}:${port}` });
      expect(facade.environment?.STRANGLER_UPSTREAM_ALLOW?.split(',')).toContain(`${target.name}:${port}`);
      expect(facade.depends_on?.[target.name]).toEqual({ condition: 'service_healthy' });
    }
  });

  it("publishes only the facade's data plane to every interface, and its admin plane on this machine only", () => {
    const published = Object.entries(services).filter(([, row]) => row.ports && row.ports.length > 0);
    expect(published.map(([name]) => name)).toEqual(['strangler']);
    const strangler = processNamed('strangler');
    expect(service('strangler').ports).toEqual([
      `${tablePort(strangler).defaultPort}:${tablePort(strangler).defaultPort}`,
      `127.0.0.1:${tablePort(strangler, 'admin').defaultPort}:${tablePort(strangler, 'admin').defaultPort}`,
    ]);
  });
});

describe('docker/README.md', () => {
  it('documents every variable compose reads from the host, with its default', () => {
    const read = Object.fromEntries(
      [...readFileSync(COMPOSE_FILE, 'utf8').matchAll(/\$\{([A-Z_][A-Z0-9_]*):-([^}]*)\}/g)].map((match) => [
        match[1],
        match[2],
      ]),
    );
    const readme = readFileSync(join(REPOSITORY_ROOT, 'docker/README.md'), 'utf8');
    const documented = Object.fromEntries(
      [...readme.matchAll(/^\| `([A-Z_][A-Z0-9_]*)` +\| `([^`]*)` +\|/gm)].map((match) => [match[1], match[2]]),
    );
    expect(Object.keys(read).length).toBeGreaterThan(0);
    expect(documented).toEqual(read);
  });
});

describe('the image (docker/Dockerfile)', () => {
  it('copies only files and folders that exist, and runs a process of the stack by default', () => {
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((match) => match[1]!.split(/\s+/));
    expect(sources.length).toBeGreaterThan(3);
    for (const source of sources)
      expect({ source, exists: existsSync(join(REPOSITORY_ROOT, source)) }).toEqual({ source, exists: true });
    const command = /^CMD \["(.+)"\]$/m.exec(dockerfile)?.[1];
    expect(PROCESSES.map((spec) => spec.entry)).toContain(command);
    // The runtime stage has what the facade reads at start: its default rules file and the stage files.
    expect(dockerfile).toContain('/app/strangler/rules.yaml');
    expect(dockerfile).toMatch(/^USER node$/m);
  });
});

describe('interpolate (as docker compose reads ${…})', () => {
  it.each([
    ['${A:-fallback}', {}, 'fallback'],
    ['${A:-fallback}', { A: '' }, 'fallback'],
    ['${A-fallback}', { A: '' }, ''],
    ['${A:-fallback}', { A: 'set' }, 'set'],
    ['${A:+alt}', { A: 'set' }, 'alt'],
    ['${A}/$B', { A: 'a', B: 'b' }, 'a/b'],
    ['$${A}', { A: 'a' }, '${A}'],
  ])('%s with %j is %j', (text, environment, expected) => {
    expect(interpolate({ key: [text] }, environment)).toEqual({ key: [expected] });
  });

  it('refuses a required variable that is unset', () => {
    expect(() => interpolate('${A:?set A}', {})).toThrow('A is required: set A');
  });
});
