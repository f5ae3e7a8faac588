import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { findRepositoryRoot } from '../../stack/src/repository-root';
import type { K8sObject } from './k8s-object';

export const REPOSITORY_ROOT = findRepositoryRoot(__dirname);

export const DEV_OVERLAY = 'k8s/overlays/dev';
export const PROD_OVERLAY = 'k8s/overlays/prod';
/** The overlays a team applies; the base alone is rendered and validated, not deployed. */
export const OVERLAYS = [DEV_OVERLAY, PROD_OVERLAY] as const;
/** The kustomizations of k8s/, relative to the repository root: the base and every overlay. */
export const KUSTOMIZATIONS = ['k8s/base', ...OVERLAYS] as const;

/**
 * The objects `kubectl kustomize <dir>` renders (`dir` relative to the repository root), as
 * `kubectl apply -k` would send them. Needs `kubectl` (1.27 or later, for kustomize v5) on `PATH`;
 * no cluster.
 */
export function renderKustomization(dir: string): K8sObject[] {
  let output: string;
  try {
    output = execFileSync('kubectl', ['kustomize', join(REPOSITORY_ROOT, dir)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string };
    if (failure.code === 'ENOENT') {
      throw new Error(
        'kubectl is not on PATH: install kubectl 1.27 or later (it renders k8s/ with its built-in kustomize; no cluster is needed)',
        { cause: error },
      );
    }
    throw new Error(`kubectl kustomize ${dir} failed: ${failure.stderr?.trim() || failure.message}`, { cause: error });
  }
  return parseAllDocuments(output).flatMap((document) => {
    if (document.errors.length > 0) throw new Error(`kubectl kustomize ${dir}: ${document.errors[0]!.message}`);
    const object = document.toJS() as K8sObject | null;
    return object ? [object] : [];
  });
}

const renders = new Map<string, readonly K8sObject[]>();

/** `renderKustomization(dir)`, rendered once per test file. */
export function rendered(dir: string): readonly K8sObject[] {
  let objects = renders.get(dir);
  if (!objects) {
    objects = Object.freeze(renderKustomization(dir));
    renders.set(dir, objects);
  }
  return objects;
}
