import { TZDate } from '@date-fns/tz';
import { type IsoDate } from './calendar-date.js';

/** The UTC instant (epoch ms) of `hour`:00 on `date` in `timeZone`. */
export function instantAt(date: IsoDate, hour: number, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new TZDate(y, m - 1, d, hour, 0, 0, timeZone).getTime();
}

/** The calendar date in `timeZone` at the instant `epochMs`. */
export function localDate(epochMs: number, timeZone: string): IsoDate {
  const z = new TZDate(epochMs, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${z.getFullYear()}-${pad(z.getMonth() + 1)}-${pad(z.getDate())}`;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}
