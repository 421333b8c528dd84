import { z } from 'zod';
import type { FollowUpFilter } from '../../db/queries/follow-up-list.js';
import { isIsoDate } from '../../workflows/schedule/calendar-date.js';

const optionalDate = z.preprocess((v) => (v === '' ? undefined : v), z.string().refine(isIsoDate, 'YYYY-MM-DD').optional());
const optionalText = z.preprocess((v) => (typeof v === 'string' && v.trim() ? v.trim() : undefined), z.string().max(100).optional());

/** The mass follow-up's filter, as its query string carries it. */
export const filterSchema = z.object({
  dueFrom: optionalDate,
  dueTo: optionalDate,
  customer: optionalText,
  level: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(0).max(50).optional()),
  status: z.enum(['open', 'paid', 'cancelled', 'all']).catch('open'),
  balanceOnly: z.preprocess((v) => v === 'on' || v === '1', z.boolean()),
  situation: z.enum(['disputed', 'promised', 'stopped']).optional().catch(undefined),
  q: optionalText,
  sort: z.enum(['due', 'number', 'customer', 'balance']).catch('due'),
  dir: z.enum(['asc', 'desc']).catch('asc'),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
  // Pre-checked by default: the rows whose next step is due today (what a computed run would send).
  check: z.enum(['due', 'all', 'none']).catch('due'),
});

export type Filter = z.infer<typeof filterSchema>;

/** The mass follow-up's filter written in a query string (a run on "all N matching" carries it), or undefined when it is not one. */
export function followUpFilterOf(query: string): Omit<FollowUpFilter, 'page' | 'pageSize'> | undefined {
  const parsed = filterSchema.safeParse(Object.fromEntries(new URLSearchParams(query)));
  return parsed.success ? parsed.data : undefined;
}
