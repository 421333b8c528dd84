import { z } from 'zod';
import { isIsoDate } from '../../workflows/schedule/calendar-date.js';
const blankIsNone = (v: unknown) => (v === '' ? undefined : v);
/** The reminder log's filter, as its query string carries it. */
export const filterSchema = z.object({
  from: z.preprocess(blankIsNone, z.string().refine(isIsoDate, 'a date YYYY-MM-DD').optional()),
  to: z.preprocess(blankIsNone, z.string().refine(isIsoDate, 'a date YYYY-MM-DD').optional()),
  user: z.preprocess(blankIsNone, z.string().max(320).optional()),
  level: z.preprocess(blankIsNone, z.coerce.number().int().min(1).max(50).optional()),
  channel: z.preprocess(blankIsNone, z.enum(['email', 'letter', 'manual']).optional()),
  page: z.preprocess(blankIsNone, z.coerce.number().int().min(1).max(10_000).default(1)),
});
export type Filter = z.infer<typeof filterSchema>;

/** The query string of the filter, with some of it changed (the page, for the links to the next one). */
export const queryOf = (f: Filter, changes: Partial<Filter> = {}) =>
  new URLSearchParams(Object.entries({ ...f, ...changes }).filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => [k, String(v)])).toString();
