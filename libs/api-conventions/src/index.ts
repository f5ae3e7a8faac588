export { ApiErrorResponses } from './api-error-responses.decorator';
export { apiText } from './api-text';
export { IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_PATTERN, IdempotencyKey, readIdempotencyKey } from './idempotency-key';
export {
  DEFAULT_PAGE_LIMIT,
  MAX_PAGE_LIMIT,
  MAX_PAGE_OFFSET,
  PageQuerySchema,
  PageQueryShape,
  pageSchema,
  toPage,
} from './page';
export type { Page, PageQuery } from './page';
export { queryInteger } from './query-integer';
export { UUID_PATTERN, UuidSchema } from './uuid';
