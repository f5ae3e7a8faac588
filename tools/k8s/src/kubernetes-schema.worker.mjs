// Validates Kubernetes objects against the API's OpenAPI schemas, as shipped (compiled) by the
// kubernetes-models package: stdin is a JSON array of objects, stdout a JSON array of problems, one
// string each, empty when every object is valid. A separate Node process because kubernetes-models
// is ES modules only, which Jest's CommonJS runtime cannot load (kubernetes-schema.ts runs it).

import { Buffer } from 'node:buffer';

/** The module of a kind: `apps/v1` + `Deployment` → `kubernetes-models/apps/v1/Deployment`. */
const modelPath = (apiVersion, kind) => `kubernetes-models/${apiVersion}/${kind}`;

async function problemsOf(object) {
  const { apiVersion, kind } = object;
  const name = `${kind}/${object.metadata?.name ?? '(no name)'}`;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return [`${name}: no apiVersion or kind`];
  let Model;
  try {
    Model = (await import(modelPath(apiVersion, kind)))[kind];
  } catch {
    return [`${name}: no schema for ${apiVersion} ${kind} in kubernetes-models`];
  }
  if (typeof Model !== 'function') return [`${name}: no schema for ${apiVersion} ${kind} in kubernetes-models`];
  try {
    new Model(object).validate();
    return [];
  } catch (error) {
    return [`${name}: ${error instanceof Error ? error.message : String(error)}`];
  }
}

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const objects = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const problems = [];
  for (const object of objects) problems.push(...(await problemsOf(object)));
  process.stdout.write(JSON.stringify(problems));
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
