import type { StandardSchemaV1 } from '@standard-schema/spec';

/** The problems a schema finds in `data`, as `path: message` lines (as the transport reports them). */
export async function problemsOf(schema: StandardSchemaV1, data: unknown): Promise<string[]> {
  const result = await schema['~standard'].validate(data);
  if (!result.issues) return [];
  return result.issues.map((issue) => {
    const path = (issue.path ?? []).map((key) => (typeof key === 'object' ? String(key.key) : String(key))).join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests reach into nested example data freely
type Data = Record<string, any>;

/** A deep copy of `example` changed by `change`. */
export function changed(example: unknown, change: (data: Data) => void): Data {
  const copy = structuredClone(example) as Data;
  change(copy);
  return copy;
}
