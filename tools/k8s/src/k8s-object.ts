import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IProbe } from 'kubernetes-models/v1/Probe';

/** A rendered Kubernetes object: what every kind has, the rest read through the kind's own type. */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly labels?: Readonly<Record<string, string>> };
  readonly [field: string]: unknown;
}

/** Where one variable of a container's environment comes from, and its value when the render has it. */
export type EnvSource =
  | { readonly from: 'value'; readonly value: string }
  | { readonly from: 'configMap'; readonly name: string; readonly key: string; readonly value: string }
  | {
      readonly from: 'secret';
      readonly name: string;
      readonly key: string;
      readonly optional: boolean;
      /** Undefined when the render has no such Secret (the prod overlay makes none) or key. */
      readonly value: string | undefined;
    };

export const ofKind = (objects: readonly K8sObject[], kind: string): K8sObject[] =>
  objects.filter((object) => object.kind === kind);

/** The object of that kind and exact name; throws naming what is there instead. */
export function named(objects: readonly K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found) {
    const names = ofKind(objects, kind).map((object) => object.metadata.name);
    throw new Error(`no ${kind} ${name} in the render (there: ${names.join(', ') || 'none'})`);
  }
  return found;
}

/** The pod template of a Deployment or a Job. */
export function podOf(object: K8sObject): { labels: Readonly<Record<string, string>>; spec: IPodSpec } {
  const template = (object.spec as { template?: { metadata?: { labels?: Record<string, string> }; spec?: IPodSpec } })
    ?.template;
  if (!template?.spec) throw new Error(`${object.kind} ${object.metadata.name} has no pod template`);
  return { labels: template.metadata?.labels ?? {}, spec: template.spec };
}

/** Every pod template of the render: its Deployments' and its Jobs'. */
export const workloads = (objects: readonly K8sObject[]): K8sObject[] =>
  objects.filter((object) => object.kind === 'Deployment' || object.kind === 'Job');

/** Every container of a pod template, its init containers first. */
export function containersOf(object: K8sObject): IContainer[] {
  const pod = podOf(object).spec;
  return [...(pod.initContainers ?? []), ...pod.containers];
}

/** The one container of a Deployment named after its process. */
export function containerOf(object: K8sObject, name = object.metadata.name): IContainer {
  const container = podOf(object).spec.containers.find((candidate) => candidate.name === name);
  if (!container) throw new Error(`${object.kind} ${object.metadata.name} has no container ${name}`);
  return container;
}

const decode = (value: string | undefined) =>
  value === undefined ? undefined : Buffer.from(value, 'base64').toString('utf8');

function secretValue(objects: readonly K8sObject[], name: string, key: string): string | undefined {
  const secret = objects.find((object) => object.kind === 'Secret' && object.metadata.name === name);
  const data = secret?.data as Record<string, string> | undefined;
  const stringData = secret?.stringData as Record<string, string> | undefined;
  return stringData?.[key] ?? decode(data?.[key]);
}

/**
 * A container's environment as the kubelet builds it: `envFrom` ConfigMaps in order, then `env`,
 * which wins. Throws for a ConfigMap the render does not have (it would not start).
 */
export function environmentOf(objects: readonly K8sObject[], container: IContainer): Map<string, EnvSource> {
  const environment = new Map<string, EnvSource>();
  for (const source of container.envFrom ?? []) {
    if (!source.configMapRef) throw new Error(`${container.name}: envFrom other than a ConfigMap`);
    const configMap = named(objects, 'ConfigMap', source.configMapRef.name!);
    for (const [key, value] of Object.entries((configMap.data ?? {}) as Record<string, string>)) {
      environment.set(key, { from: 'configMap', name: configMap.metadata.name, key, value });
    }
  }
  for (const variable of container.env ?? []) {
    const secret = variable.valueFrom?.secretKeyRef;
    const configMapKey = variable.valueFrom?.configMapKeyRef;
    if (secret) {
      environment.set(variable.name, {
        from: 'secret',
        name: secret.name!,
        key: secret.key,
        optional: secret.optional === true,
        value: secretValue(objects, secret.name!, secret.key),
      });
    } else if (configMapKey) {
      const data = named(objects, 'ConfigMap', configMapKey.name!).data as Record<string, string> | undefined;
      environment.set(variable.name, {
        from: 'configMap',
        name: configMapKey.name!,
        key: configMapKey.key,
        value: data?.[configMapKey.key] ?? '',
      });
    } else environment.set(variable.name, { from: 'value', value: variable.value ?? '' });
  }
  return environment;
}

/** The plain values of an environment: what the process reads, optional Secrets that are absent left out. */
export function valuesOf(environment: ReadonlyMap<string, EnvSource>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, source] of environment) if (source.value !== undefined) values[name] = source.value;
  return values;
}

/** The port number a probe (or a Service's targetPort) names, by name or number, on a container. */
export function portNumber(container: IContainer, port: string | number | undefined): number | undefined {
  if (typeof port === 'number') return port;
  return container.ports?.find((candidate) => candidate.name === port)?.containerPort;
}

/** `GET <path>` on a port number, as the kubelet sends a probe. */
export function probeTarget(container: IContainer, probe: IProbe | undefined): { path?: string; port?: number } {
  return { path: probe?.httpGet?.path, port: portNumber(container, probe?.httpGet?.port) };
}

/** Whether a label selector's `matchLabels` (the only form these manifests use) selects `labels`. */
export function selects(
  selector: { matchLabels?: Readonly<Record<string, string>>; matchExpressions?: readonly unknown[] } | undefined,
  labels: Readonly<Record<string, string>>,
): boolean {
  if (!selector) return false;
  if (selector.matchExpressions?.length) throw new Error('matchExpressions are not read here; use matchLabels');
  return Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
}
