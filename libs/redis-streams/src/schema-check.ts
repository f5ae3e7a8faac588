import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { Reason } from './delivery-policy';

/** Why `data` of `pattern` fails `schema` (`STREAMS_INVALID_MESSAGE`), or undefined if it passes. */
export async function schemaProblem(
  schema: StandardSchemaV1,
  pattern: string,
  data: unknown,
): Promise<Reason | undefined> {
  const result = await schema['~standard'].validate(data);
  if (!result.issues) return undefined;
  const problems = result.issues.map((issue) => {
    const path = (issue.path ?? []).map((key) => (typeof key === 'object' ? String(key.key) : String(key))).join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  return { code: 'STREAMS_INVALID_MESSAGE', message: `data of ${pattern} is invalid: ${problems.join('; ')}` };
}
