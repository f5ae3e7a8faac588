import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { LIBRARY_ORDER, orderViolation, unplacedLibraries } from './library-order';

/** A part of the repository that imports may not cross except by the rules below. */
export type Unit =
  | { kind: 'app'; name: string }
  | { kind: 'lib'; name: string }
  | { kind: 'legacy' }
  | { kind: 'strangler' }
  | { kind: 'tools'; name: string }
  | { kind: 'other' };

export interface Violation {
  readonly file: string;
  readonly specifier: string;
  readonly rule: string;
}

const SOURCE_ROOTS = ['apps', 'libs', 'legacy-monolith', 'strangler'];

/** The unit a repository-relative path belongs to. */
export function unitOf(path: string): Unit {
  const [top, name] = path.split(/[\\/]/);
  if (top === 'apps' && name) return { kind: 'app', name };
  if (top === 'libs' && name) return { kind: 'lib', name };
  if (top === 'legacy-monolith') return { kind: 'legacy' };
  if (top === 'strangler') return { kind: 'strangler' };
  if (top === 'tools' && name) return { kind: 'tools', name };
  return { kind: 'other' };
}

const describeUnit = (unit: Unit): string =>
  unit.kind === 'app' || unit.kind === 'lib' || unit.kind === 'tools' ? `${unit.kind} ${unit.name}` : unit.kind;

const sameUnit = (a: Unit, b: Unit): boolean => describeUnit(a) === describeUnit(b);

const isTestFile = (path: string): boolean =>
  /\.(spec|e2e-spec)\.ts$/.test(path) || path.split(/[\\/]/).includes('test');

/**
 * Checks one import of `file` (repository-relative) against the rules: no app imports
 * another app, the monolith or the facade; the monolith and the facade import no app and
 * not each other; libraries import no app; a library is imported only as `@app/<name>`,
 * its index; a library's source imports only libraries before it in `order`. Test files may
 * also use the shared test tools (`tools/testing`), and a library's tests use its index, and
 * any other library, like any other caller.
 */
export function checkImport(
  file: string,
  specifier: string,
  libraries: ReadonlySet<string>,
  order: readonly string[] = LIBRARY_ORDER,
): Violation | undefined {
  const from = unitOf(file);
  const violation = (rule: string): Violation => ({ file, specifier, rule });

  const alias = /^@app\/(.+)$/.exec(specifier);
  if (alias?.[1]) {
    const [name, ...rest] = alias[1].split('/');
    if (rest.length > 0) return violation(`import the library through its index: @app/${name}`);
    if (!name || !libraries.has(name)) return violation(`there is no library libs/${name}`);
    if (from.kind !== 'lib' || isTestFile(file)) return undefined;
    if (from.name === name) return violation('a library imports its own files relatively');
    const outOfOrder = orderViolation(from.name, name, order);
    return outOfOrder ? violation(outOfOrder) : undefined;
  }
  if (!specifier.startsWith('.')) return undefined;

  const target = relative('.', join(dirname(file), specifier));
  if (target.startsWith('..')) return violation('imports outside the repository');
  const to = unitOf(target);
  if (sameUnit(from, to)) return undefined;
  if (to.kind === 'tools' && to.name === 'testing' && isTestFile(file)) return undefined;
  if (to.kind === 'lib') return violation(`import the library as @app/${to.name}, not by path`);
  return violation(`${describeUnit(from)} may not import ${describeUnit(to)}`);
}

function* typeScriptFiles(root: string, dir: string): Generator<string> {
  for (const entry of readdirSync(join(root, dir))) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    const path = join(dir, entry);
    if (statSync(join(root, path)).isDirectory()) yield* typeScriptFiles(root, path);
    else if (entry.endsWith('.ts')) yield path;
  }
}

/** Every import of the repository's source that breaks a rule, and every library `order` does not place. */
export function findViolations(root: string, order: readonly string[] = LIBRARY_ORDER): Violation[] {
  const libraries = new Set(
    existsSync(join(root, 'libs'))
      ? readdirSync(join(root, 'libs')).filter((name) => existsSync(join(root, 'libs', name, 'src', 'index.ts')))
      : [],
  );
  const violations: Violation[] = unplacedLibraries(libraries, order).map(({ name, file, rule }) => ({
    file,
    specifier: `@app/${name}`,
    rule,
  }));
  for (const sourceRoot of SOURCE_ROOTS.filter((dir) => existsSync(join(root, dir)))) {
    for (const file of typeScriptFiles(resolve(root), sourceRoot)) {
      const info = ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true);
      for (const imported of info.importedFiles) {
        const found = checkImport(file.split(sep).join('/'), imported.fileName, libraries, order);
        if (found) violations.push(found);
      }
    }
  }
  return violations;
}
