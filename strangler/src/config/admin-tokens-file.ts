import { readFileSync } from 'node:fs';

/** One `name:role:secret` entry and where it was given, for messages (`… line 3`). */
export interface AdminTokenEntry {
  readonly at: string;
  readonly text: string;
}

/**
 * The entries of `STRANGLER_ADMIN_TOKENS_FILE`: one `name:role:secret` per line; blank lines and
 * lines starting with `#` are skipped. A file that cannot be read is a problem naming the file and
 * the error code, never its content.
 */
export function adminTokenFileEntries(
  path: string,
  read: (path: string) => string = (file) => readFileSync(file, 'utf8'),
): { entries: AdminTokenEntry[]; problems: string[] } {
  let text: string;
  try {
    text = read(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return { entries: [], problems: [`STRANGLER_ADMIN_TOKENS_FILE ${JSON.stringify(path)} cannot be read (${code})`] };
  }
  const entries = text
    .split(/\r?\n/)
    .map((line, index) => ({ at: `STRANGLER_ADMIN_TOKENS_FILE line ${index + 1}`, text: line.trim() }))
    .filter((entry) => entry.text !== '' && !entry.text.startsWith('#'));
  if (entries.length === 0) {
    return { entries, problems: [`STRANGLER_ADMIN_TOKENS_FILE ${JSON.stringify(path)} holds no token`] };
  }
  return { entries, problems: [] };
}
