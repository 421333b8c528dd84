import { expect, it } from 'vitest';
import { invoiceTotals } from '../../workflows/schedule/invoice-lines.js';

it('states each line before tax, the VAT of each rate on the sum of its lines, and the total including tax', () => {
  const totals = invoiceTotals([
    { label: 'Conseil (jour)', quantityMilli: 1500, unitPriceCents: 65_033, vatRateBp: 2000 },
    { label: 'Documentation', quantityMilli: 3000, unitPriceCents: 1_999, vatRateBp: 550 },
    { label: 'Maintenance', quantityMilli: 1000, unitPriceCents: 10_001, vatRateBp: 2000 },
    { label: 'Remise fidélité', quantityMilli: 1000, unitPriceCents: -5_000, vatRateBp: 2000 },
  ]);
  // 1.5 × 650.33 = 975.495, rounded half up to 975.50.
  expect(totals.lines.map((l) => l.netCents)).toEqual([97_550, 5_997, 10_001, -5_000]);
  expect(totals.vat).toEqual([
    // 20 % on 1 025.51 is 205.102; 5.5 % on 59.97 is 3.29835.
    { rateBp: 2000, baseCents: 102_551, vatCents: 20_510 },
    { rateBp: 550, baseCents: 5_997, vatCents: 330 },
  ]);
  expect(totals).toMatchObject({ netCents: 108_548, vatCents: 20_840, totalCents: 129_388 });
});

it('rounds a discount away from zero as it rounds a charge', () => {
  expect(invoiceTotals([{ label: 'Remise', quantityMilli: 1500, unitPriceCents: -333, vatRateBp: 0 }]).lines[0]!.netCents).toBe(-500);
  expect(invoiceTotals([{ label: 'Article', quantityMilli: 1500, unitPriceCents: 333, vatRateBp: 0 }]).lines[0]!.netCents).toBe(500);
});
