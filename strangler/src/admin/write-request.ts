import { ValidationFailedError } from '@app/service-defaults';
import { z } from 'zod';
import type { WriteMeta } from '../store';
import type { AdminCaller } from './admin-token/admin-caller';

/** Who made a change, when the body does not say: the CLI and the dashboard send it. */
export const AUTHOR_HEADER = 'x-strangler-author';
export const MAX_AUTHOR_LENGTH = 128;
export const MAX_REASON_LENGTH = 500;

const AUTHOR = /^[\x20-\x7e\u00a0-\uffff]+$/u;

/** The fields every write carries. */
export const WriteFieldsShape = {
  expectedVersion: z
    .int()
    .min(0)
    .meta({ description: 'The current version as the caller read it; a stale one is refused with 409.' }),
  reason: z
    .string()
    .trim()
    .min(1)
    .max(MAX_REASON_LENGTH)
    .meta({ description: 'Why: kept with the version and in the audit log.' }),
  author: z
    .string()
    .trim()
    .min(1)
    .max(MAX_AUTHOR_LENGTH)
    .regex(AUTHOR, 'must be printable')
    .optional()
    .meta({ description: `Who: this, or the ${AUTHOR_HEADER} header. One of them is required.` }),
};

/** The write's metadata: the author from the body, else from the header; `by` the admin token's name. */
export function writeMeta(
  body: { expectedVersion: number; reason: string; author?: string },
  authorHeader: string | undefined,
  caller: AdminCaller,
): WriteMeta {
  const author = body.author ?? authorHeader?.trim();
  if (!author) {
    throw new ValidationFailedError([`author: give it in the body or the ${AUTHOR_HEADER} header`]);
  }
  if (author.length > MAX_AUTHOR_LENGTH || !AUTHOR.test(author)) {
    throw new ValidationFailedError([`${AUTHOR_HEADER}: must be 1 to ${MAX_AUTHOR_LENGTH} printable characters`]);
  }
  return { expectedVersion: body.expectedVersion, reason: body.reason, author, by: caller.name };
}
