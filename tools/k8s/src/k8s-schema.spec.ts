import { type K8sObject, named } from './k8s-object';
import { unknownFieldProblems } from './kubernetes-fields';
import { schemaProblems } from './kubernetes-schema';
import { KUSTOMIZATIONS, rendered } from './kustomize';

const deployment = (): K8sObject => structuredClone(named(rendered('k8s/base'), 'Deployment', 'catalog'));
type Mutable = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const podSpec = (object: Mutable) => object.spec.template.spec as Mutable;

describe.each(KUSTOMIZATIONS)('kubectl kustomize %s', (dir) => {
  it('renders the whole stack', () => {
    const kinds = new Set(rendered(dir).map((object) => object.kind));
    for (const kind of ['Deployment', 'Service', 'ConfigMap', 'Job', 'NetworkPolicy']) expect(kinds).toContain(kind);
  });

  it('renders only objects the Kubernetes API schemas accept', () => {
    expect(schemaProblems(rendered(dir))).toEqual([]);
  });

  it('renders no field the Kubernetes API does not know', () => {
    expect(unknownFieldProblems(rendered(dir))).toEqual([]);
  });
});

// The two checks above can fail: objects with one mistake each are refused, by name.
describe('the offline Kubernetes checks', () => {
  it.each([
    [
      'a Deployment without a selector',
      (object: Mutable) => delete object.spec.selector,
      'must have required property selector',
    ],
    [
      'a port that is not a number',
      (object: Mutable) => (podSpec(object).containers[0].ports[0].containerPort = 'http'),
      'containerPort must be integer',
    ],
    [
      'a memory limit that is not a quantity',
      (object: Mutable) => (podSpec(object).containers[0].resources.limits.memory = 'lots'),
      'must match format "quantity"',
    ],
    [
      'an unknown seccomp profile type',
      (object: Mutable) => (podSpec(object).securityContext.seccompProfile.type = 'Strict'),
      'must be equal to one of the allowed values',
    ],
  ])('refuses %s', (_case, mistake, problem) => {
    const object = deployment();
    mistake(object as Mutable);
    const problems = schemaProblems([object]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^Deployment\/catalog: /);
    expect(problems[0]).toContain(problem);
  });

  it('refuses a kind it has no schema for', () => {
    const object = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } };
    expect(schemaProblems([object])).toEqual(['Widget/w: no schema for example.com/v1 Widget in kubernetes-models']);
  });

  it.each([
    [
      'a misspelled probe',
      (object: Mutable) => (podSpec(object).containers[0].readinesProbe = {}),
      "'\"readinesProbe\"' does not exist in type 'IContainer'",
    ],
    [
      'a container field on the pod',
      (object: Mutable) => (podSpec(object).readOnlyRootFilesystem = true),
      "'\"readOnlyRootFilesystem\"' does not exist in type 'IPodSpec'",
    ],
  ])('refuses %s, which the schemas let through', (_case, mistake, problem) => {
    const object = deployment();
    mistake(object as Mutable);
    expect(schemaProblems([object])).toEqual([]);
    const problems = unknownFieldProblems([object]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^Deployment\/catalog: /);
    expect(problems[0]).toContain(problem);
  });
});
