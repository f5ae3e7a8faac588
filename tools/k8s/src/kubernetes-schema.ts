import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { K8sObject } from './k8s-object';
import { REPOSITORY_ROOT } from './kustomize';

const WORKER = join(__dirname, 'kubernetes-schema.worker.mjs');

/**
 * kustomize wraps a Secret's long base64 values over several lines, which the API server takes (Go's
 * base64 decoder skips line breaks) and kubernetes-models' `byte` format does not: join them first.
 */
function withUnwrappedSecretData(object: K8sObject): K8sObject {
  if (object.kind !== 'Secret' || !object.data) return object;
  const data = Object.entries(object.data as Record<string, unknown>).map(([key, value]) => [
    key,
    typeof value === 'string' ? value.replace(/[\r\n]/g, '') : value,
  ]);
  return { ...object, data: Object.fromEntries(data) };
}

/**
 * Every way `objects` break the Kubernetes API's OpenAPI schemas (types, required fields, enums,
 * formats such as quantities), as `<Kind>/<name>: <problem>`; empty when all are valid. Offline:
 * the schemas are those compiled into the kubernetes-models package. Unknown (misspelled) fields
 * are not schema errors there: {@link unknownFieldProblems} finds those.
 */
export function schemaProblems(objects: readonly K8sObject[]): string[] {
  const run = spawnSync(process.execPath, [WORKER], {
    cwd: REPOSITORY_ROOT,
    input: JSON.stringify(objects.map(withUnwrappedSecretData)),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`the schema check failed to run: ${run.stderr.trim()}`);
  return JSON.parse(run.stdout) as string[];
}
