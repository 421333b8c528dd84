import { daysBetween, type IsoDate } from './calendar-date.js';

/** Mass follow-up colours: blue = not due yet, orange = due within the "due soon" window, red = overdue. */
export type RowColour = 'blue' | 'orange' | 'red';

export function rowColour(dueDate: IsoDate, today: IsoDate, dueSoonDays: number): RowColour {
  const daysLeft = daysBetween(today, dueDate);
  if (daysLeft < 0) return 'red';
  return daysLeft <= dueSoonDays ? 'orange' : 'blue';
}

export function daysLate(dueDate: IsoDate, today: IsoDate): number {
  return Math.max(0, daysBetween(dueDate, today));
}
