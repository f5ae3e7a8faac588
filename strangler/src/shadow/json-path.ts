/** A place in a JSON document: object keys and array indices, from the root. */
export type JsonPath = readonly (string | number)[];

/**
 * How a path is shown and stored: `items[0].priceCents`, `["a b"]` for a key that is not a plain
 * name; `$` for the root. With `anyIndex`, every array index is shown as `*`.
 */
export function formatPath(path: JsonPath, anyIndex = false): string {
  if (path.length === 0) return '$';
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += anyIndex ? '[*]' : `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/**
 * The path with every array index as `*`, so that what is learnt about `items[0].id` holds for
 * `items[7].id` too: `items[*].id`.
 */
export function generalPath(path: JsonPath): string {
  return formatPath(path, true);
}
