import { expect, it } from 'vitest';
import { z } from 'zod';
import { parseForm } from '../../web/admin/form.js';
import { ibanField } from '../../web/sepa/bank-fields.js';
import { isIsoDate } from '../../workflows/schedule/calendar-date.js';
import { eventText } from '../../web/timeline-texts.js';
import { reasonText } from '../../web/reason-texts.js';

const nbsp = '\u00a0';

it('says a timeline entry in the reader\'s language from its kind and parameters, and an older entry as it was written', () => {
  const payment = { kind: 'payment_received', message: '', params: { amountCents: 12_000, currency: 'EUR', method: 'transfer', paidOn: '2026-07-01', balanceCents: 3_050 } };
  expect(eventText(payment, 'fr')).toBe(`Paiement de 120,00${nbsp}€ (Virement) reçu le 1er juillet 2026 ; reste dû 30,50${nbsp}€`);
  expect(eventText(payment, 'en')).toBe('Payment of €120.00 (Bank transfer) received on 1 July 2026; balance €30.50');
  const bounce = { kind: 'email_bounced', message: '', params: { step: 'Relance 1', detail: '550 5.1.1' } };
  expect(eventText(bounce, 'fr')).toBe('Relance 1 : e-mail rejeté par le serveur du destinataire (550 5.1.1)');
  const failed = { kind: 'reminder_failed', message: '', params: { step: 'Relance 2', reason: 'no postal address for this customer' } };
  expect(eventText(failed, 'fr')).toBe("Relance 2 n'a pas pu partir : pas d'adresse postale pour ce client");
  expect(eventText({ kind: 'payment_received', message: 'Payment of 10.00 EUR (transfer) received', params: null }, 'fr')).toBe('Payment of 10.00 EUR (transfer) received');
});

it("says Relance's own reasons in French, a skip with its next date, and passes a provider's reason through", () => {
  expect(reasonText('no e-mail address for this customer', 'fr')).toBe("pas d'adresse e-mail pour ce client");
  expect(reasonText('no letter or e-mail template for "Relance 3"', 'fr')).toBe("aucun modèle de courrier ni d'e-mail pour « Relance 3 »");
  expect(reasonText('not_due: next step on 2026-08-01', 'fr')).toBe("l'étape n'est pas encore due ; prochaine étape le 1er août 2026");
  expect(reasonText('not_due: next step on 2026-08-01', 'en')).toMatch(/; next step on 1 August 2026$/);
  expect(reasonText('dunning has ended for this invoice (paid)', 'fr')).toBe('les relances de cette facture sont terminées (Payée)');
  expect(reasonText('The account has insufficient funds.', 'fr')).toBe('The account has insufficient funds.');
  expect(reasonText('no e-mail address for this customer', 'en')).toBe('no e-mail address for this customer');
});

it('refuses a form naming each field by its label, in the reader\'s language, with the rule that failed', () => {
  const form = z.object({ reason: z.string().min(1, 'required'), iban: ibanField, paidOn: z.string().refine(isIsoDate, 'a date YYYY-MM-DD') });
  const refused = parseForm(form, { reason: '', iban: 'FR00', paidOn: '2026' }, 'fr');
  expect(refused).toEqual({
    ok: false,
    message: "Motif : obligatoire · IBAN : n'est pas un IBAN valide (pays, clé de contrôle et longueur) · Date : une date AAAA-MM-JJ",
  });
  expect(parseForm(form, { reason: '', iban: 'FR00', paidOn: '2026' }, 'en')).toEqual({
    ok: false,
    message: 'Reason: required · IBAN: not a valid IBAN (country, check digits and length) · Date: a date YYYY-MM-DD',
  });
});
