import type { K8sObject } from './k8s-object';
import { renderKustomization } from './kustomize';

const cache = new Map<string, readonly K8sObject[]>();

/** `renderKustomization(dir)`, rendered once per test file. */
export function rendered(dir: string): readonly K8sObject[] {
  let objects = cache.get(dir);
  if (!objects) {
    objects = Object.freeze(renderKustomization(dir));
    cache.set(dir, objects);
  }
  return objects;
}

/** The overlays a team applies; the base alone is rendered and validated, not deployed. */
export const OVERLAYS = ['k8s/overlays/dev', 'k8s/overlays/prod'] as const;
