import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { processNamed, tablePort } from '../../stack/test/support/deployment-support';
import { DEFAULT_PORT_ROLE, PROCESSES, type ProcessSpec } from '../../stack/src/processes';
import { type K8sObject, named, ofKind, podOf } from './k8s-object';
import { type Destination, type Peer, ingressAllowed } from './network-reach';
import { OVERLAYS, rendered } from './kustomize';

const OUTSIDE = 'outside the namespace';
const facadeSpec = processNamed('strangler');
const upstreams = PROCESSES.filter((spec) => spec !== facadeSpec);

describe.each(OVERLAYS)('the NetworkPolicies of %s', (overlay) => {
  const objects = (): readonly K8sObject[] => rendered(overlay);
  const podLabels = (kind: string, name: string) => podOf(named(objects(), kind, name)).labels;
  const pod = (name: string): Peer => ({ pod: podLabels('Deployment', name) });
  const to = (spec: ProcessSpec, role = DEFAULT_PORT_ROLE): Destination => {
    const target = podOf(named(objects(), 'Deployment', spec.name));
    return {
      labels: target.labels,
      containers: target.spec.containers,
      port: tablePort(spec, role).defaultPort,
    };
  };
  const reach = (from: Peer, destination: Destination) => ingressAllowed(objects(), from, destination);

  it('deny every connection in unless another policy allows it', () => {
    const policies = ofKind(objects(), 'NetworkPolicy') as unknown as INetworkPolicy[];
    expect(policies).toContainEqual(expect.objectContaining({ spec: { podSelector: {}, policyTypes: ['Ingress'] } }));
    // And so a pod that no other policy names is closed, even to its own namespace.
    const stranger: Destination = { labels: { 'app.kubernetes.io/name': 'something-else' }, containers: [], port: 80 };
    expect(reach(pod('strangler'), stranger)).toBe(false);
  });

  it("open the facade's data plane to the world, and nothing else", () => {
    expect(reach(OUTSIDE, to(facadeSpec))).toBe(true);
    expect(reach(OUTSIDE, to(facadeSpec, 'admin'))).toBe(false);
    for (const spec of upstreams) expect({ [spec.name]: reach(OUTSIDE, to(spec)) }).toEqual({ [spec.name]: false });
  });

  it("keep the facade's admin plane to pods of the namespace (operators, the CLI)", () => {
    expect(reach({ pod: { 'app.kubernetes.io/name': 'operator-shell' } }, to(facadeSpec, 'admin'))).toBe(true);
    expect(reach(pod('catalog'), to(facadeSpec, 'admin'))).toBe(true);
  });

  it('let the facade reach every process it routes to, on its port', () => {
    for (const spec of upstreams) {
      expect({ [spec.name]: reach(pod('strangler'), to(spec)) }).toEqual({ [spec.name]: true });
    }
  });

  it('let nothing else of the namespace reach the monolith and the services, but the backfill the monolith', () => {
    const backfill = { pod: podLabels('Job', 'legacy-monolith-backfill') };
    for (const spec of upstreams) {
      const others = upstreams.filter((other) => other !== spec).map((other) => other.name);
      for (const name of others) {
        expect({ from: name, to: spec.name, allowed: reach(pod(name), to(spec)) }).toEqual({
          from: name,
          to: spec.name,
          allowed: false,
        });
      }
      expect({ from: 'a pod', to: spec.name, allowed: reach({ pod: {} }, to(spec)) }).toEqual({
        from: 'a pod',
        to: spec.name,
        allowed: false,
      });
      expect({ from: 'backfill', to: spec.name, allowed: reach(backfill, to(spec)) }).toEqual({
        from: 'backfill',
        to: spec.name,
        allowed: spec.name === 'legacy-monolith',
      });
    }
  });
});

describe('ingressAllowed', () => {
  const policy = (spec: Record<string, unknown>) =>
    ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p' }, spec }) as K8sObject;
  const web: Destination = {
    labels: { app: 'web' },
    containers: [{ name: 'web', ports: [{ name: 'http', containerPort: 8080 }] }],
    port: 8080,
  };

  it.each([
    ['no policy', [], { pod: {} }, true],
    ['a deny-all', [policy({ podSelector: {}, policyTypes: ['Ingress'] })], { pod: {} }, false],
    ['an egress-only policy', [policy({ podSelector: {}, policyTypes: ['Egress'] })], OUTSIDE, true],
    ['a rule without from', [policy({ podSelector: { matchLabels: { app: 'web' } }, ingress: [{}] })], OUTSIDE, true],
    ['a named port', [policy({ podSelector: {}, ingress: [{ ports: [{ port: 'http' }] }] })], OUTSIDE, true],
    ['another port', [policy({ podSelector: {}, ingress: [{ ports: [{ port: 9090 }] }] })], OUTSIDE, false],
    [
      'a pod selector, from its namespace',
      [policy({ podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'api' } } }] }] })],
      { pod: { app: 'api' } },
      true,
    ],
    [
      'a pod selector, from outside',
      [policy({ podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] })],
      OUTSIDE,
      false,
    ],
    [
      'a pod selector, from another pod',
      [policy({ podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'api' } } }] }] })],
      { pod: { app: 'db' } },
      false,
    ],
    [
      'a policy for other pods',
      [policy({ podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'] })],
      OUTSIDE,
      true,
    ],
  ] as [string, K8sObject[], Peer, boolean][])('%s', (_case, policies, from, allowed) => {
    expect(ingressAllowed(policies, from, web)).toBe(allowed);
  });
});
