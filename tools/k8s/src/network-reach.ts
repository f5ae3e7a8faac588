import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IContainer } from 'kubernetes-models/v1/Container';
import { type K8sObject, ofKind, portNumber, selects } from './k8s-object';

/** Who opens a connection: a pod of the namespace (by its labels), or anything outside the namespace. */
export type Peer = { readonly pod: Readonly<Record<string, string>> } | 'outside the namespace';

/** Where it goes: a pod (its labels and containers, for named ports) and a port number. */
export interface Destination {
  readonly labels: Readonly<Record<string, string>>;
  readonly containers: readonly IContainer[];
  readonly port: number;
}

const portOf = (containers: readonly IContainer[], port: string | number | undefined) =>
  typeof port === 'number' ? port : containers.map((container) => portNumber(container, port)).find(Boolean);

/**
 * Whether the render's NetworkPolicies let `from` connect to `to` over TCP, as the API defines them:
 * a pod no Ingress policy selects takes every connection; a selected pod only those some rule of a
 * selecting policy allows (no `from`: from anywhere; a `podSelector` alone: pods of the namespace;
 * a `namespaceSelector` or an `ipBlock`: taken here as other namespaces and the world).
 */
export function ingressAllowed(objects: readonly K8sObject[], from: Peer, to: Destination): boolean {
  const policies = (ofKind(objects, 'NetworkPolicy') as unknown as INetworkPolicy[]).filter(
    (policy) =>
      selects(policy.spec?.podSelector, to.labels) && (policy.spec?.policyTypes ?? ['Ingress']).includes('Ingress'),
  );
  if (policies.length === 0) return true;
  return policies.some((policy) =>
    (policy.spec?.ingress ?? []).some((rule) => {
      const portMatches =
        !rule.ports?.length ||
        rule.ports.some((port) => (port.protocol ?? 'TCP') === 'TCP' && portOf(to.containers, port.port) === to.port);
      const peerMatches =
        !rule.from?.length ||
        rule.from.some((peer) => {
          if (peer.ipBlock || peer.namespaceSelector) return from === 'outside the namespace';
          return from !== 'outside the namespace' && selects(peer.podSelector, from.pod);
        });
      return portMatches && peerMatches;
    }),
  );
}
