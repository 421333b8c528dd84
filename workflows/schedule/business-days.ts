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
