import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IContainer } from 'kubernetes-models/v1/Container';
import { type K8sObject, containerOf, containersOf, environmentOf, podOf, workloads } from './k8s-object';
import { OVERLAYS, REPOSITORY_ROOT, rendered } from './kustomize';

const dockerfile = readFileSync(join(REPOSITORY_ROOT, 'docker/Dockerfile'), 'utf8');
/** The uid of the `node` user of the official Node images, which docker/Dockerfile runs as. */
const NODE_USER_ID = 1000;

const label = (object: K8sObject, container?: IContainer) =>
  `${object.kind}/${object.metadata.name}${container ? ` ${container.name}` : ''}`;

describe.each(OVERLAYS)('every pod of %s', (overlay) => {
  const pods = () => workloads(rendered(overlay));

  it('runs as the image’s unprivileged user, under the runtime’s seccomp profile, without API credentials', () => {
    expect(dockerfile).toMatch(/^USER node$/m);
    for (const object of pods()) {
      const pod = podOf(object).spec;
      expect({ pod: label(object), ...pod.securityContext }).toMatchObject({
        pod: label(object),
        runAsNonRoot: true,
        runAsUser: NODE_USER_ID,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect({ pod: label(object), token: pod.automountServiceAccountToken, links: pod.enableServiceLinks }).toEqual({
        pod: label(object),
        token: false,
        links: false,
      });
    }
  });

  it('gives no container a privilege, a capability or a writable root filesystem', () => {
    for (const object of pods()) {
      for (const container of containersOf(object)) {
        expect({ container: label(object, container), ...container.securityContext }).toEqual({
          container: label(object, container),
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
      }
    }
  });

  it('gives every container CPU and memory requests and limits', () => {
    for (const object of pods()) {
      for (const container of containersOf(object)) {
        const { requests = {}, limits = {} } = container.resources ?? {};
        expect({
          container: label(object, container),
          requests: Object.keys(requests).sort(),
          limits: Object.keys(limits).sort(),
        }).toEqual({
          container: label(object, container),
          requests: ['cpu', 'memory'],
          limits: ['cpu', 'memory'],
        });
      }
    }
  });

  it('lets every container write only to volumes of its own (/tmp, and the facade’s history)', () => {
    for (const object of pods()) {
      const volumes = podOf(object).spec.volumes ?? [];
      for (const container of containersOf(object)) {
        for (const mount of container.volumeMounts ?? []) {
          const volume = volumes.find((candidate) => candidate.name === mount.name);
          const writable = mount.readOnly !== true && !volume?.configMap && !volume?.secret;
          if (writable)
            expect({
              mount: `${label(object, container)} ${mount.mountPath}`,
              emptyDir: Boolean(volume?.emptyDir),
            }).toEqual({ mount: `${label(object, container)} ${mount.mountPath}`, emptyDir: true });
        }
      }
    }
  });

  it('lets a stopping Deployment pod finish its requests: preStop pause plus SHUTDOWN_TIMEOUT_MS within the grace period', () => {
    for (const object of pods().filter((candidate) => candidate.kind === 'Deployment')) {
      const pod = podOf(object).spec;
      const container = containerOf(object);
      const shutdownMs = Number(environmentOf(rendered(overlay), container).get('SHUTDOWN_TIMEOUT_MS')?.value);
      const pauseMs = (container.lifecycle?.preStop?.sleep?.seconds ?? 0) * 1000;
      expect(shutdownMs).toBeGreaterThan(0);
      expect(pauseMs).toBeGreaterThan(0);
      expect({
        pod: label(object),
        fits: pauseMs + shutdownMs < (pod.terminationGracePeriodSeconds ?? 30) * 1000,
      }).toEqual({
        pod: label(object),
        fits: true,
      });
    }
  });
});
