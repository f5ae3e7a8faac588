import { join } from 'node:path';
import ts from 'typescript';
import type { K8sObject } from './k8s-object';

/** Where the checked source is said to be, so that `kubernetes-models` resolves from the repository. */
const VIRTUAL_FILE = join(__dirname, '__rendered-objects__.ts');

const OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ['lib.es2023.d.ts'],
  types: [],
};

/**
 * Every field of `objects` that the Kubernetes API does not know (a misspelled `readinesProbe`, a
 * field at the wrong level), as `<Kind>/<name>: <problem>`; empty when there is none. The API
 * server refuses such fields (strict field validation); its OpenAPI schemas allow them, so
 * {@link schemaProblems} cannot see them. Each object is checked as a literal of its kind's type in
 * kubernetes-models, whose excess property checks reach every nesting level.
 */
export function unknownFieldProblems(objects: readonly K8sObject[]): string[] {
  const starts: number[] = [];
  let source = '';
  objects.forEach((object, index) => {
    source += `import type { I${object.kind} as T${index} } from 'kubernetes-models/${object.apiVersion}/${object.kind}';\n`;
  });
  objects.forEach((object, index) => {
    starts.push(source.length);
    source += `export const o${index}: T${index} = ${JSON.stringify(object, null, 1)};\n`;
  });
  const host = ts.createCompilerHost(OPTIONS);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, language, ...rest) =>
    name === VIRTUAL_FILE ? ts.createSourceFile(name, source, language) : getSourceFile(name, language, ...rest);
  host.fileExists = (name) => name === VIRTUAL_FILE || fileExists(name);
  host.readFile = (name) => (name === VIRTUAL_FILE ? source : readFile(name));
  const program = ts.createProgram([VIRTUAL_FILE], OPTIONS, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
    if (diagnostic.file?.fileName !== VIRTUAL_FILE || diagnostic.start === undefined) return message;
    const index = starts.findLastIndex((start) => start <= diagnostic.start!);
    const object = objects[index];
    return object ? `${object.kind}/${object.metadata.name}: ${message}` : message;
  });
}
