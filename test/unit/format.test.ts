import { expect, it } from 'vitest';
import { formatDate, formatMoney } from '../../services/format.js';

it('writes dates as each language does: the first of the month as « 1er » in French', () => {
  expect(formatDate('2026-07-01', 'fr')).toBe('1er juillet 2026');
  expect(formatDate('2026-07-11', 'fr')).toBe('11 juillet 2026');
  expect(formatDate('2026-12-21', 'fr')).toBe('21 décembre 2026');
  expect(formatDate('2026-07-01', 'en')).toBe('1 July 2026');
});

it('writes amounts with the currency as each language does', () => {
  expect(formatMoney(360_000, 'EUR', 'fr').replace(/\s/g, ' ')).toBe('3 600,00 €');
  expect(formatMoney(360_000, 'EUR', 'en')).toBe('€3,600.00');
});
