import type { Sql } from '../client.js';
import { upsertCustomer } from '../queries/customers.js';
import { upsertInvoice } from '../queries/invoices.js';
import { applyPayment } from '../queries/payments.js';
import { addDays, type IsoDate } from '../../workflows/schedule/calendar-date.js';
import { invoiceTotals } from '../../workflows/schedule/invoice-lines.js';
import { scheduleOf } from '../../workflows/schedule/payment-terms.js';
import { paymentTermsByNames, setCustomerPaymentTerms } from '../queries/payment-terms.js';

const FR_NAMES = [
  'Boulangerie Martin', 'Atelier Dupont', 'Transports Lefèvre', 'Menuiserie Girard', 'Cabinet Moreau', 'Garage Fontaine',
  'Imprimerie Rousseau', 'Pharmacie Lambert', 'Hôtel des Alpes', 'Brasserie Mercier', 'Électricité Bonnet', 'Plomberie Faure',
  'Agence Chevalier', 'Librairie Blanc', 'Fromagerie Gauthier', 'Studio Perrin', 'Clinique Vétérinaire Morel', 'Ferme Roux',
  'Architectes Dumas & Associés', 'Société Nouvelle Berger', 'Mairie de Saint-Aubin', 'Lycée Jean-Moulin', 'Laboratoire Henry',
  'Traiteur Caron', 'Vins & Spiritueux Picard', 'Informatique Lemoine', 'Nettoyage Pro Renard', 'Scierie Masson',
];
const EN_NAMES = [
  'Harbour Logistics Ltd', 'Greenfield Farms', 'Northwind Traders', 'Baker & Sons', 'Riverside Clinic', 'Oak Street Dental',
  'Blue Fin Seafood', 'Kestrel Engineering', 'Maple Leaf Consulting', 'Thames Print Works', 'Summit Outdoor Gear', 'Lighthouse Media',
];
const DEPOSIT_TERMS = '30 % à la commande, solde à 30 jours fin de mois';
const CATALOGUE: [string, number][] = [
  ['Prestation de conseil (jour)', 2000], ['Maintenance annuelle du parc', 2000], ['Formation sur site (jour)', 2000],
  ['Développement sur mesure (heure)', 2000], ['Licence logicielle (utilisateur, un an)', 2000], ['Transport et livraison (palette)', 2000],
  ['Travaux de rénovation (m²)', 1000], ['Repas de séminaire (couvert)', 1000], ['Ouvrages et documentation', 550],
];
const CITIES = [['75011', 'Paris'], ['69003', 'Lyon'], ['13001', 'Marseille'], ['33000', 'Bordeaux'], ['59000', 'Lille'], ['44000', 'Nantes'], ['67000', 'Strasbourg']];

/** A small deterministic generator, so every fresh demo database looks the same. */
function prng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)), pick: <T>(xs: T[]) => xs[Math.floor(next() * xs.length)]! };
}

const slug = (name: string) => name.normalize('NFD').replace(/[^\w]+/g, '').toLowerCase().slice(0, 20);

/**
 * Dozens of customers (French and English) and a few hundred invoices due from 90 days ago to 30
 * days ahead: some paid in full, some in part, some on installment schedules. Returns false when
 * the database already holds customers (the demo is loaded on the first start only).
 */
export async function loadDemoData(sql: Sql, today: IsoDate, counts = { invoices: 300 }): Promise<boolean> {
  const [any] = await sql`select 1 from customers limit 1`;
  if (any) return false;
  const r = prng(20261123);
  await sql.begin(async (tx) => {
    // The demo company's legal identity, so the letters and e-mails show the mentions the law asks for.
    await tx`update settings set company_legal_form = 'SAS', company_capital = '10 000 €', company_siret = '12345678900017',
      company_rcs = 'Lyon', company_vat = 'FR32123456789' where id = 1 and company_siret = ''`;
    // Late charges as French terms of sale usually state them (ECB rate + 10 points, here fixed at
    // 12.15 %, and the 40 € indemnity), so the formal notices show the amounts L441-10 allows.
    await tx`update policies set interest_rule = 'fixed', interest_bp = 1215, recovery_indemnity = true where is_default and interest_rule = 'none'`;
    // The payment terms migration 0038 seeds: a deposit and the balance, and 45 days end of month as some customers' default.
    const terms = await paymentTermsByNames(tx, [DEPOSIT_TERMS, '45 jours fin de mois']);
    const deposit = terms.get(DEPOSIT_TERMS)!;
    const customers: { id: number; ref: string }[] = [];
    const all = [...FR_NAMES.map((n) => [n, 'fr'] as const), ...EN_NAMES.map((n) => [n, 'en'] as const)];
    for (const [i, [name, language]] of all.entries()) {
      const [postalCode, city] = r.pick(CITIES) as [string, string];
      const ref = `C-${1001 + i}`;
      const { id } = await upsertCustomer(tx, {
        ref, name, language,
        emails: [`compta@${slug(name)}.example`],
        addressLine1: `${r.int(1, 120)} ${language === 'fr' ? 'rue de la République' : 'High Street'}`,
        addressLine2: '', postalCode, city, country: 'FR',
      });
      if (i % 4 === 3) await setCustomerPaymentTerms(tx, id, terms.get('45 jours fin de mois')!.id);
      customers.push({ id, ref });
    }
    for (let n = 1; n <= counts.invoices; n++) {
      const customer = r.pick(customers);
      const dueOffset = r.int(-90, 30);
      const dueDate = addDays(today, dueOffset);
      // One to three lines from the catalogue, mostly at 20 % VAT: the total is what they make.
      const lines = Array.from({ length: r.int(1, 3) }, () => {
        const [label, vatRateBp] = r.pick(CATALOGUE);
        return { label, quantityMilli: r.pick([500, 1000, 1000, 1500, 2000, 3000, 5000, 10_000]), unitPriceCents: r.int(20, 1_500) * 100 + r.pick([0, 0, 50, 90]), vatRateBp };
      });
      const totalCents = invoiceTotals(lines).totalCents;
      const withSchedule = r.next() < 0.1;
      const issueDate = addDays(dueDate, -r.pick([30, 45, 60]));
      const installments = withSchedule ? scheduleOf(issueDate, totalCents, deposit.rule).installments : [];
      const { id } = await upsertInvoice(tx, {
        number: `F-2026-${String(n).padStart(4, '0')}`,
        customerId: customer.id,
        issueDate,
        dueDate: withSchedule ? installments.at(-1)!.dueDate : dueDate,
        currency: 'EUR', totalCents, status: 'open', installments, lines, paymentTermsId: withSchedule ? deposit.id : null,
      });
      const roll = r.next();
      const paidCents = roll < 0.25 ? totalCents : roll < 0.35 ? Math.round(totalCents * 0.4) : 0;
      if (paidCents > 0) {
        const paidOn = addDays(issueDate, r.int(5, 40));
        await applyPayment(tx, {
          invoiceId: id, amountCents: paidCents, currency: 'EUR', paidOn: paidOn < today ? paidOn : today,
          method: r.pick(['transfer', 'transfer', 'card', 'cheque']), source: 'csv', externalId: `demo-pay-${n}`, actor: 'demo',
        });
      }
    }
  });
  return true;
}
