import { z } from 'zod';
import { queryInteger } from './query-integer';

export const DEFAULT_PAGE_LIMIT = 20;
export const MAX_PAGE_LIMIT = 100;
export const MAX_PAGE_OFFSET = Number.MAX_SAFE_INTEGER;

/** `?limit=` (1..100, default 20) and `?offset=` (0.., default 0). */
export const PageQueryShape = {
  limit: queryInteger({ min: 1, max: MAX_PAGE_LIMIT, default: DEFAULT_PAGE_LIMIT }),
  offset: queryInteger({ min: 0, max: MAX_PAGE_OFFSET, default: 0 }),
};

export const PageQuerySchema = z.object(PageQueryShape);
export type PageQuery = z.output<typeof PageQuerySchema>;

export interface Page<T> {
  readonly items: readonly T[];
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
}

/** The schema of a page of `item`, for the OpenAPI document. */
export function pageSchema<T extends z.ZodType>(item: T, id: string) {
  return z
    .object({ items: z.array(item), total: z.int().min(0), limit: z.int().min(1), offset: z.int().min(0) })
    .meta({ id });
}

export function toPage<T>(items: readonly T[], total: number, query: PageQuery): Page<T> {
  return { items, total, limit: query.limit, offset: query.offset };
}
