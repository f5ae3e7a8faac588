import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { isAbsolute, join, posix, relative, resolve, sep } from 'node:path';

/** A place in a Markdown file that points at another file. */
export interface DocReference {
  /** 1-based line of the reference. */
  readonly line: number;
  /** As written: `../docs/api.md#errors`, a path into the planning folder beside the clone. */
  readonly target: string;
  /** `link`: `[text](target)`, `![alt](target)` or `[name]: target`; `mention`: a bare path into the planning folder beside the clone (`shared/…`, some levels up). */
  readonly kind: 'link' | 'mention';
}

export interface LinkProblem {
  /** Repository-relative, with `/`. */
  readonly file: string;
  readonly line: number;
  readonly target: string;
  readonly problem: string;
}

/** Folders that are not Markdown of the repository: dependencies, build output, caches, local data. */
export const SKIPPED_FOLDERS: ReadonlySet<string> = new Set([
  'node_modules',
  'dist',
  '.cache',
  'data',
  '.git',
  'coverage',
]);

/** Schemes that leave the repository on purpose and are not checked. */
const EXTERNAL = /^(https?|mailto):/i;

/** A path that climbs into a folder named `shared`: where documentation outside the repository used to be. */
const SHARED_MENTION = /(?:\.{1,2}\/)*\.\.\/shared\/[^\s`'"()<>[\],;]*/g;

const INLINE_LINK =
  /\]\(\s*(?:<([^>\n]*)>|([^\s()]+(?:\([^\s()]*\)[^\s()]*)*))(?:\s+(?:"[^"\n]*"|'[^'\n]*'|\([^)\n]*\)))?\s*\)/g;
const REFERENCE_DEFINITION = /^ {0,3}\[[^\]\n]+\]:[ \t]*(?:<([^>\n]*)>|(\S+))/gm;
/** A code span: within one paragraph (no blank line), closed by as many backticks as opened it. */
const CODE_SPAN = /(`+)(?!`)((?:(?!\n[ \t]*\n)[\s\S])*?[^`])\1(?!`)/g;
const FENCE = /^\s*(`{3,}|~{3,})/;

const blank = (text: string) => text.replace(/[^\n]/g, ' ');

/** The text with fenced code blocks blanked out (line breaks kept, so positions stay). */
function withoutFences(markdown: string): string {
  let fence: string | undefined;
  return markdown
    .split('\n')
    .map((line) => {
      const opening = FENCE.exec(line)?.[1];
      if (fence === undefined) {
        if (opening) fence = opening;
        return fence === undefined ? line : blank(line);
      }
      if (opening && opening[0] === fence[0] && opening.length >= fence.length && line.trim() === opening) {
        fence = undefined;
      }
      return blank(line);
    })
    .join('\n');
}

/**
 * The references of a Markdown text: inline links and images, reference definitions, and bare
 * mentions of paths into that planning folder (in code spans or prose), with their lines. Fenced code blocks
 * are code, not references, and are skipped; so are links inside code spans.
 *
 * @example findReferences('See [the API](docs/api.md).') // [{ line: 1, target: 'docs/api.md', kind: 'link' }]
 */
export function findReferences(markdown: string): DocReference[] {
  const text = withoutFences(markdown);
  const lineAt = (index: number) => text.slice(0, index).split('\n').length;
  const found = new Map<string, DocReference>();
  const add = (index: number, target: string, kind: DocReference['kind']) => {
    const line = lineAt(index);
    const key = `${line}\u0000${target}`;
    if (!found.has(key)) found.set(key, { line, target, kind });
  };

  const prose = text.replace(CODE_SPAN, (span: string, ticks: string, content: string, offset: number) => {
    for (const mention of content.matchAll(SHARED_MENTION)) {
      add(offset + ticks.length + (mention.index ?? 0), mention[0], 'mention');
    }
    return blank(span);
  });
  for (const pattern of [INLINE_LINK, REFERENCE_DEFINITION]) {
    for (const match of prose.matchAll(pattern)) add(match.index ?? 0, match[1] ?? match[2] ?? '', 'link');
  }
  for (const mention of prose.matchAll(SHARED_MENTION)) add(mention.index ?? 0, mention[0], 'mention');
  return [...found.values()].sort((a, b) => a.line - b.line);
}

/**
 * What is wrong with `target`, referenced from `file` (repository-relative), or `undefined`.
 * A reference must be relative to the file's folder and resolve to an existing file or folder
 * inside the repository, outside the folders a clone does not have. `http(s):` and `mailto:`
 * links, and anchors within the page, are not checked; an anchor or query after a path is
 * ignored.
 */
export function checkReference(
  file: string,
  target: string,
  exists: (repositoryPath: string) => boolean,
): string | undefined {
  if (EXTERNAL.test(target)) return undefined;
  const path = target.replace(/[#?].*$/s, '');
  if (path === '') return undefined;
  let decoded: string;
  try {
    decoded = decodeURI(path);
  } catch {
    return 'is not a valid URL path';
  }
  if (decoded.startsWith('/')) return 'is an absolute path; use a path relative to the file';
  const resolved = posix.normalize(posix.join(posix.dirname(file), decoded));
  if (resolved === '..' || resolved.startsWith('../')) return 'points outside the repository';
  const top = resolved.split('/')[0] ?? '';
  if (SKIPPED_FOLDERS.has(top)) return `points into ${top}/, which a clone does not have`;
  if (!exists(resolved.replace(/\/$/, '') || '.')) return `does not exist (${resolved})`;
  return undefined;
}

/** The repository's Markdown files, repository-relative; symbolic links are not followed. */
function* markdownFiles(root: string, dir: string): Generator<string> {
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    if (SKIPPED_FOLDERS.has(entry.name)) continue;
    const path = dir === '' ? entry.name : join(dir, entry.name);
    if (entry.isDirectory()) yield* markdownFiles(root, path);
    else if (entry.isFile() && entry.name.toLowerCase().endsWith('.md')) yield path;
  }
}

/** Every reference of every Markdown file of the repository at `root` that does not resolve inside it. */
export function findLinkProblems(root: string): LinkProblem[] {
  const base = resolve(root);
  const exists = (repositoryPath: string) => {
    const absolute = resolve(base, repositoryPath);
    const inside = relative(base, absolute);
    return !inside.startsWith('..') && !isAbsolute(inside) && existsSync(absolute);
  };
  const problems: LinkProblem[] = [];
  for (const path of markdownFiles(base, '')) {
    const file = path.split(sep).join('/');
    for (const reference of findReferences(readFileSync(join(base, path), 'utf8'))) {
      const problem = checkReference(file, reference.target, exists);
      if (problem) problems.push({ file, line: reference.line, target: reference.target, problem });
    }
  }
  return problems;
}
