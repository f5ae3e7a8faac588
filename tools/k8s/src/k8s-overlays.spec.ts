import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import {
  type EnvSource,
  type K8sObject,
  containerOf,
  containersOf,
  environmentOf,
  named,
  ofKind,
  podOf,
  selects,
  workloads,
} from './k8s-object';
import { DEV_OVERLAY as DEV, OVERLAYS, PROD_OVERLAY as PROD, REPOSITORY_ROOT, rendered } from './kustomize';

const README = readFileSync(join(REPOSITORY_ROOT, 'k8s/README.md'), 'utf8');

type SecretRef = Extract<EnvSource, { from: 'secret' }>;

/** Every Secret key the pods of a render read: `<secret>/<key>`, with whether it may be absent. */
function secretRefs(objects: readonly K8sObject[]): Map<string, SecretRef> {
  const refs = new Map<string, SecretRef>();
  for (const object of workloads(objects)) {
    for (const container of containersOf(object)) {
      for (const source of environmentOf(objects, container).values()) {
        if (source.from === 'secret') refs.set(`${source.name}/${source.key}`, source);
      }
    }
  }
  return refs;
}

/** The `kubectl create secret generic <name> --from-literal=<KEY>=…` commands of k8s/README.md: `<name>/<KEY>`. */
function documentedSecretKeys(): string[] {
  const commands = README.match(/create secret generic [a-z0-9-]+(?: *\\\n *--from-literal=[A-Z_]+=[^\n]*?)+(?=\n|$)/g);
  return (commands ?? []).flatMap((command) => {
    const name = /create secret generic ([a-z0-9-]+)/.exec(command)![1];
    return [...command.matchAll(/--from-literal=([A-Z_]+)=/g)].map((match) => `${name}/${match[1]}`);
  });
}

const deployments = (objects: readonly K8sObject[]) => ofKind(objects, 'Deployment');

describe('the dev overlay', () => {
  const objects = () => rendered(DEV);

  it('runs one instance of each process, with no autoscaler and no disruption budget', () => {
    for (const deployment of deployments(objects())) {
      expect({ [deployment.metadata.name]: (deployment.spec as { replicas?: number }).replicas }).toEqual({
        [deployment.metadata.name]: 1,
      });
    }
    expect(ofKind(objects(), 'HorizontalPodAutoscaler')).toEqual([]);
    expect(ofKind(objects(), 'PodDisruptionBudget')).toEqual([]);
  });

  it('makes every Secret key the pods read, from development values', () => {
    for (const [ref, source] of secretRefs(objects())) {
      expect({ [ref]: source.value !== undefined }).toEqual({ [ref]: true });
    }
  });

  it('puts everything in its namespace, which enforces the restricted Pod Security Standard', () => {
    const namespace = named(objects(), 'Namespace', 'ficus-dev');
    expect(namespace.metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'restricted' });
    for (const object of objects().filter((candidate) => candidate.kind !== 'Namespace')) {
      expect({
        object: `${object.kind}/${object.metadata.name}`,
        namespace: (object.metadata as { namespace?: string }).namespace,
      }).toEqual({
        object: `${object.kind}/${object.metadata.name}`,
        namespace: 'ficus-dev',
      });
    }
  });
});

describe('the prod overlay', () => {
  const objects = () => rendered(PROD);
  const autoscalers = () => ofKind(objects(), 'HorizontalPodAutoscaler') as unknown as IHorizontalPodAutoscaler[];
  const budgets = () => ofKind(objects(), 'PodDisruptionBudget') as unknown as IPodDisruptionBudget[];

  it('scales every Deployment with a HorizontalPodAutoscaler of its own, from several instances, on CPU', () => {
    for (const deployment of deployments(objects())) {
      const name = deployment.metadata.name;
      const mine = autoscalers().filter(
        (hpa) => hpa.spec?.scaleTargetRef.kind === 'Deployment' && hpa.spec.scaleTargetRef.name === name,
      );
      expect({ [name]: mine.length }).toEqual({ [name]: 1 });
      const { minReplicas = 1, maxReplicas, metrics = [] } = mine[0]!.spec!;
      expect({ [name]: minReplicas >= 2 && maxReplicas > minReplicas }).toEqual({ [name]: true });
      expect(metrics.map((metric) => metric.resource?.name)).toContain('cpu');
      // The autoscaler owns the count: an apply must not set it back.
      expect({ [name]: (deployment.spec as { replicas?: number }).replicas }).toEqual({ [name]: undefined });
      // Utilization is a share of the request.
      expect(containerOf(deployment).resources?.requests?.cpu).toBeDefined();
    }
    expect(
      autoscalers().find((hpa) => hpa.spec?.scaleTargetRef.name === 'strangler')?.spec?.minReplicas,
    ).toBeGreaterThanOrEqual(3);
  });

  it('keeps every Deployment up through drains with a PodDisruptionBudget that selects its pods alone', () => {
    const pods = deployments(objects()).map((deployment) => ({
      name: deployment.metadata.name,
      labels: podOf(deployment).labels,
    }));
    for (const { name, labels } of pods) {
      const mine = budgets().filter((budget) => selects(budget.spec?.selector, labels));
      expect({ [name]: mine.length }).toEqual({ [name]: 1 });
      const selected = pods
        .filter((other) => selects(mine[0]!.spec?.selector, other.labels))
        .map((other) => other.name);
      expect(selected).toEqual([name]);
      // One at a time, and never none: an eviction of a ready pod must be possible.
      expect({ [name]: mine[0]!.spec?.maxUnavailable }).toEqual({ [name]: 1 });
    }
  });

  it('spreads the instances of every Deployment across zones and nodes', () => {
    for (const deployment of deployments(objects())) {
      const { labels, spec } = podOf(deployment);
      const constraints = spec.topologySpreadConstraints ?? [];
      const keys = constraints
        .filter((constraint) => selects(constraint.labelSelector, labels) && constraint.maxSkew === 1)
        .map((constraint) => constraint.topologyKey);
      expect({ [deployment.metadata.name]: keys.sort() }).toEqual({
        [deployment.metadata.name]: ['kubernetes.io/hostname', 'topology.kubernetes.io/zone'],
      });
      for (const other of deployments(objects()).filter((candidate) => candidate !== deployment)) {
        for (const constraint of constraints)
          expect(selects(constraint.labelSelector, podOf(other).labels)).toBe(false);
      }
    }
  });

  it('makes no Secret: the team creates them, as k8s/README.md shows for every key the pods read', () => {
    expect(ofKind(objects(), 'Secret')).toEqual([]);
    const documented = documentedSecretKeys();
    const refs = secretRefs(objects());
    for (const [ref, source] of refs) {
      if (source.optional) expect(README).toContain(source.key);
      else expect(documented).toContain(ref);
    }
    for (const ref of documented) expect(refs.has(ref)).toBe(true);
  });

  it('puts everything in its namespace, which enforces the restricted Pod Security Standard', () => {
    expect(named(objects(), 'Namespace', 'ficus').metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
    });
  });
});

describe('both overlays', () => {
  it('give every container the same variables, from the same places', () => {
    const shape = (dir: string) =>
      Object.fromEntries(
        workloads(rendered(dir)).flatMap((object) =>
          podOf(object).spec.containers.map((container) => [
            `${object.kind}/${object.metadata.name}/${container.name}`,
            [...environmentOf(rendered(dir), container)]
              .map(([name, source]) => `${name}<-${source.from}${source.from === 'secret' ? `:${source.key}` : ''}`)
              .sort(),
          ]),
        ),
      );
    const [dev, prod] = OVERLAYS.map(shape);
    expect(Object.keys(dev!).length).toBe(workloads(rendered(DEV)).length);
    expect(prod).toEqual(dev);
  });
});
