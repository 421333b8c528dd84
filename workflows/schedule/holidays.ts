import { addDays, makeDate, type IsoDate } from './calendar-date.js';

/** Gregorian Easter Sunday (the anonymous "Meeus/Jones/Butcher" computus). */
export function easterSunday(year: number): IsoDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return makeDate(year, month, day);
}

/** Metropolitan France's eleven public holidays (jours fériés), Easter-based ones included. */
function frenchHolidays(year: number): IsoDate[] {
  const easter = easterSunday(year);
  return [
    makeDate(year, 1, 1),
    addDays(easter, 1), // lundi de Pâques
    makeDate(year, 5, 1),
    makeDate(year, 5, 8),
    addDays(easter, 39), // Ascension
    addDays(easter, 50), // lundi de Pentecôte
    makeDate(year, 7, 14),
    makeDate(year, 8, 15),
    makeDate(year, 11, 1),
    makeDate(year, 11, 11),
    makeDate(year, 12, 25),
  ];
}

const calendars: Record<string, (year: number) => IsoDate[]> = { FR: frenchHolidays };

export const supportedHolidayCountries = Object.keys(calendars);

const cache = new Map<string, ReadonlySet<IsoDate>>();

/** Public holidays of a country for a year; a country without a calendar here has only weekends off. */
export function publicHolidays(country: string, year: number): ReadonlySet<IsoDate> {
  const key = `${country}:${year}`;
  let set = cache.get(key);
  if (!set) {
    set = new Set(calendars[country]?.(year) ?? []);
    cache.set(key, set);
  }
  return set;
}
