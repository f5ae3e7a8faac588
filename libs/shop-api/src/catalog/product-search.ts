/** Lower-cases text for search the same way on every database (SQLite's LOWER() knows only ASCII). */
export function foldForSearch(text: string): string {
  return text.toLowerCase();
}

/** A `LIKE … ESCAPE '\'` pattern matching `text` anywhere, with `%` and `_` taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (special) => `\\${special}`)}%`;
}
