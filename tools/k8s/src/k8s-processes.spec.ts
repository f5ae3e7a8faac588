import type { IService } from 'kubernetes-models/v1/Service';
import { deployedContext, processNamed, tablePort } from '../../stack/test/support/deployment-support';
import { DEFAULT_PORT_ROLE, PROCESSES, type ProcessSpec } from '../../stack/src/processes';
import {
  type EnvSource,
  type K8sObject,
  containerOf,
  containersOf,
  environmentOf,
  named,
  ofKind,
  podOf,
  portNumber,
  probeTarget,
  selects,
  workloads,
} from './k8s-object';
import { OVERLAYS, rendered } from './kustomize';

/** The launcher's environment of a row: its variable names are what matter here. */
const launcherEnv = (spec: ProcessSpec): Readonly<Record<string, string>> => spec.env?.(deployedContext()) ?? {};

/** Holds the Kubernetes manifests to the launcher's table of processes, as compose.spec.ts holds compose.yaml. */
describe.each(OVERLAYS)('the Kubernetes stack (%s) against the table of processes', (overlay) => {
  const objects = (): readonly K8sObject[] => rendered(overlay);
  const deployment = (spec: ProcessSpec) => named(objects(), 'Deployment', spec.name);
  const environment = (spec: ProcessSpec) => environmentOf(objects(), containerOf(deployment(spec)));

  /** The Services that reach a process's port: `host:port` of each. */
  const servicesOf = (spec: ProcessSpec, role = DEFAULT_PORT_ROLE): string[] => {
    const target = deployment(spec);
    const container = containerOf(target);
    const wanted = tablePort(spec, role).defaultPort;
    return (ofKind(objects(), 'Service') as unknown as IService[])
      .filter((service) => selects({ matchLabels: service.spec?.selector }, podOf(target).labels))
      .flatMap((service) =>
        (service.spec?.ports ?? [])
          .filter((port) => portNumber(container, port.targetPort ?? port.port) === wanted)
          .map((port) => `${service.metadata!.name}:${port.port}`),
      );
  };

  it('has a Deployment for each process of the table, and no other', () => {
    expect(
      ofKind(objects(), 'Deployment')
        .map((object) => object.metadata.name)
        .sort(),
    ).toEqual(PROCESSES.map((spec) => spec.name).sort());
  });

  it('runs every container from the one image, whose entry point (node) it keeps', () => {
    const images = workloads(objects()).flatMap((object) =>
      containersOf(object).map((container) => {
        expect({ container: container.name, command: container.command }).toEqual({ container: container.name });
        return container.image;
      }),
    );
    expect(new Set(images).size).toBe(1);
    expect(images[0]).toMatch(/^ficus(:|$)/);
  });

  describe.each(PROCESSES.map((spec) => [spec.name, spec] as const))('%s', (_name, spec) => {
    it('runs its entry', () => {
      expect(containerOf(deployment(spec)).args).toEqual([spec.entry]);
    });

    it("listens on the table's ports, named by their role, and is told them in its port variables", () => {
      expect(containerOf(deployment(spec)).ports).toEqual(
        spec.ports.map((port) => ({ name: port.role, containerPort: port.defaultPort, protocol: 'TCP' })),
      );
      for (const port of spec.ports) {
        expect({ [port.childVariable]: environment(spec).get(port.childVariable)?.value }).toEqual({
          [port.childVariable]: String(port.defaultPort),
        });
      }
    });

    it("is ready on the launcher's readiness path and port, live on /health/live there", () => {
      const container = containerOf(deployment(spec));
      const port = tablePort(spec, spec.readiness.port).defaultPort;
      expect(probeTarget(container, container.readinessProbe)).toEqual({ path: spec.readiness.path, port });
      expect(probeTarget(container, container.livenessProbe)).toEqual({ path: '/health/live', port });
      expect(probeTarget(container, container.startupProbe)).toEqual({ path: '/health/live', port });
    });

    it('listens on the pod’s address, which the kubelet probes and the Services reach', () => {
      const values = Object.fromEntries([...environment(spec)].map(([name, source]) => [name, source.value]));
      const hostVariables = Object.keys(launcherEnv(spec)).filter((name) => /(^|_)HOST$/.test(name));
      if (spec.name === 'strangler') hostVariables.push('STRANGLER_HOST');
      expect(hostVariables.length).toBeGreaterThan(0);
      for (const name of hostVariables) expect({ [name]: values[name] }).toEqual({ [name]: '0.0.0.0' });
    });

    it('is reached through a Service on each of its ports', () => {
      for (const port of spec.ports) {
        expect({ port: port.role, services: servicesOf(spec, port.role).length }).toEqual({
          port: port.role,
          services: 1,
        });
      }
    });

    it('is given every variable the launcher gives it, secrets from Secrets', () => {
      const env = environment(spec);
      const expected = Object.keys(launcherEnv(spec));
      if (spec.needsRedis) expected.push('REDIS_URL', 'REDIS_PREFIX');
      if (spec.database) expected.push('DATABASE_URL');
      for (const name of expected) expect({ [name]: env.has(name) }).toEqual({ [name]: true });
      const fromSecret = (name: string) => ({ [name]: env.get(name)?.from });
      for (const name of ['REDIS_URL', 'DATABASE_URL', 'STRANGLER_ADMIN_TOKEN', 'JWT_SECRET'].filter((n) => env.has(n)))
        expect(fromSecret(name)).toEqual({ [name]: 'secret' });
    });

    if (spec.database) {
      it('has a database of its own, from a Secret of its own', () => {
        const source = environment(spec).get('DATABASE_URL') as Extract<EnvSource, { from: 'secret' }>;
        const others = PROCESSES.filter((other) => other.database && other.name !== spec.name).map(
          (other) => (environment(other).get('DATABASE_URL') as Extract<EnvSource, { from: 'secret' }>).name,
        );
        expect(others).not.toContain(source.name);
        expect(source.name.startsWith(`${spec.name}-database`)).toBe(true);
      });
    }

    if (spec.afterReady) {
      const step = spec.afterReady;
      it(`runs its ${step.name} as a Job, once it is ready, with its environment`, () => {
        const job = named(objects(), 'Job', `${spec.name}-${step.name}`);
        const pod = podOf(job).spec;
        const container = containerOf(job, step.name);
        expect(container.args).toEqual([step.entry]);
        expect(pod.restartPolicy).toBe('Never');
        // Waits for the row's readiness through its Service, as the launcher and compose order them.
        const wait = environmentOf(objects(), pod.initContainers![0]!).get('WAIT_FOR_URL')?.value;
        const readiness = tablePort(spec, spec.readiness.port);
        expect(servicesOf(spec, readiness.role).map((service) => `http://${service}${spec.readiness.path}`)).toContain(
          wait,
        );
        // The row's environment: the same variables from the same places.
        const ofRow = environment(spec);
        const ofStep = environmentOf(objects(), container);
        for (const name of ofRow.keys()) {
          if (spec.ports.some((port) => port.childVariable === name) || name === 'HOST') continue;
          expect({ [name]: ofStep.get(name) }).toEqual({ [name]: ofRow.get(name) });
        }
      });
    }
  });

  it('gives every process the same Redis, key prefix and JWT secret', () => {
    for (const name of ['REDIS_URL', 'REDIS_PREFIX', 'JWT_SECRET']) {
      const sources = PROCESSES.map((spec) => JSON.stringify(environment(spec).get(name)));
      expect({ [name]: new Set(sources).size }).toEqual({ [name]: 1 });
    }
  });

  it('points the facade at every other process through its Service, allowed, as the launcher does', () => {
    const facade = processNamed('strangler');
    const env = environment(facade);
    const allowed = env.get('STRANGLER_UPSTREAM_ALLOW')?.value?.split(',') ?? [];
    const upstreams = Object.entries(launcherEnv(facade)).filter(([name]) => name.startsWith('STRANGLER_UPSTREAM_'));
    const others = PROCESSES.filter((spec) => spec !== facade);
    expect(upstreams.length).toBe(others.length);
    for (const [name, url] of upstreams) {
      const target = others.find((spec) => String(tablePort(spec).defaultPort) === new URL(url).port)!;
      const [service] = servicesOf(target);
      expect({ [name]: env.get(name)?.value }).toEqual({ [name]: `http://${service}` });
      expect(allowed).toContain(service);
    }
  });

  it("keeps the facade's history on a writable volume of its own", () => {
    const facade = deployment(processNamed('strangler'));
    const history = environment(processNamed('strangler')).get('STRANGLER_HISTORY_DIR')?.value ?? '';
    const container = containerOf(facade);
    const mount = container.volumeMounts?.find((candidate) => history.startsWith(`${candidate.mountPath}/`));
    expect(mount?.readOnly).not.toBe(true);
    const volume = podOf(facade).spec.volumes?.find((candidate) => candidate.name === mount?.name);
    expect(volume?.emptyDir).toBeDefined();
  });
});
