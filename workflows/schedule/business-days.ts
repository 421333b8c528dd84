import { addDays, dayOfWeek, yearOf, type IsoDate } from './calendar-date.js';
import { publicHolidays } from './holidays.js';

export function isBusinessDay(date: IsoDate, country: string): boolean {
  const dow = dayOfWeek(date);
  return dow !== 0 && dow !== 6 && !publicHolidays(country, yearOf(date)).has(date);
}

/** The date itself when it is a business day, else the next one. */
export function nextBusinessDay(date: IsoDate, country: string): IsoDate {
  let d = date;
  while (!isBusinessDay(d, country)) d = addDays(d, 1);
  return d;
}

/** The date `days` business days after `date` (the SEPA lead time before a collection). */
export function addBusinessDays(date: IsoDate, days: number, country: string): IsoDate {
  let current = date;
  for (let left = days; left > 0; left--) current = nextBusinessDay(addDays(current, 1), country);
  return nextBusinessDay(current, country);
}
