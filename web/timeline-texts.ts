import type { DeliveryStatus } from '../db/queries/delivery.js';
import type { EventParams, PauseCause, TimelineEntry } from '../db/queries/events.js';
import { formatDate, formatMoney } from '../services/format.js';
import { messages, type Lang } from './i18n.js';
import { reasonText } from './reason-texts.js';

type Texts = { [K in keyof EventParams]: (p: EventParams[K]) => string } & { email: (p: { step: string; status: DeliveryStatus; detail: string | null }) => string };

/** The timeline in French and in English, from each entry's kind and parameters. */
function texts(lang: Lang): Texts {
  const t = messages(lang);
  const money = (cents: number, currency = 'EUR') => formatMoney(cents, currency, lang);
  const date = (iso: string) => formatDate(iso, lang);
  const note = (text?: string) => (text ? ` — ${text}` : '');
  if (lang === 'fr') {
    const cause = (c: PauseCause) => ('statementCancelled' in c ? `relevé n° ${c.statementCancelled} annulé par ${c.by}` : `import n° ${c.importCancelled} arrêté par ${c.by} avant le démarrage de son suivi`);
    return {
      note: (p) => p.text,
      document_sent: (p) => `Facture envoyée au client le ${date(p.sentOn)}`,
      reminder_sent: (p) =>
        `${p.step} envoyée par e-mail à ${p.recipients.join(', ')}${p.withPdf ? ', avec la facture en PDF' : ''}${p.alsoByLetter ? ', et par courrier' : ''}${p.statementOf ? `, dans un relevé de ${p.statementOf} factures` : ''}${note(p.note)}`,
      reminder_failed: (p) => `${p.step} n'a pas pu partir${p.inStatement ? ' dans le relevé du client' : ''} : ${reasonText(p.reason, lang)}`,
      letter_prepared: (p) => `${p.step} : courrier prêt à imprimer${p.statementOf ? `, dans un relevé de ${p.statementOf} factures` : ''}${note(p.note)}`,
      letter_printed: (p) => `${p.step} : courrier imprimé et envoyé`,
      tracking_recorded: (p) => `${p.step} : envoyée en recommandé avec accusé de réception, n° ${p.trackingNumber}`,
      reminder_manual: (p) => `${p.step} faite à la main : ${p.note}${p.nextOn ? ` — prochaine relance le ${date(p.nextOn)}` : ''}`,
      payment_received: (p) => `Paiement de ${money(p.amountCents, p.currency)} (${t.paymentMethods[p.method]}) reçu le ${date(p.paidOn)} ; reste dû ${money(p.balanceCents, p.currency)}`,
      paused: (p) => `Relances suspendues${p.wholeCustomer ? ' pour tout le client' : ''} : ${p.cause ? cause(p.cause) : p.reason}`,
      resumed: (p) => (p.afterStop ? 'Relances reprises après un arrêt par un opérateur' : `Relances reprises${p.wholeCustomer ? ' pour tout le client' : ''}`),
      dunning_stopped: (p) => `Relances arrêtées par un opérateur : son suivi a été ${p.how === 'cancelled' ? 'annulé' : 'interrompu'} dans Temporal. Rien ne part avant une reprise depuis le site d'administration.`,
      dunning_repaired: (p) =>
        p.lastEnded
          ? `Suivi redémarré par la passe de réparation : le précédent s'est terminé (${t.workflowRunStatuses[p.lastEnded.toUpperCase()] ?? p.lastEnded}) alors que la facture restait due`
          : "Suivi démarré par la passe de réparation : la facture n'en avait pas (enregistrée pendant que le moteur était injoignable)",
      dunning_litigation: (p) => `Dernière étape « ${p.step} » faite : la facture passe au contentieux`,
      dunning_completed: () => 'Toutes les étapes de relance ont été faites',
      dunning_paid: () => 'Relances terminées : facture payée',
      dunning_cancelled: () => 'Relances terminées : facture annulée',
      sepa_run_failed: (p) => `La remise SEPA n° ${p.runId} a échoué avant tout envoi à la banque (${p.reason}) : la facture est de nouveau relancée`,
      sepa_run_cancelled: (p) => `Remise SEPA n° ${p.runId} annulée par ${p.by} avant que ce prélèvement ne soit demandé : la facture est de nouveau relancée`,
      sepa_collection_sent: (p) =>
        p.paymentIntentId
          ? `Prélèvement SEPA de ${money(p.amountCents)} demandé à Stripe (${p.paymentIntentId})`
          : `Prélèvement SEPA de ${money(p.amountCents)} envoyé à la banque pour le ${date(p.collectionDate!)} (${p.sequence})`,
      sepa_collection_rejected: (p) => `Prélèvement SEPA ${p.viaStripe ? 'par Stripe ' : ''}rejeté : ${p.reason}`,
      dispute_opened: (p) => `Litige : ${p.reason} (${p.owner ? `suivi par ${p.owner}` : t.unassigned}) ; les relances attendent`,
      dispute_assigned: (p) => `Litige suivi désormais par ${p.owner}`,
      dispute_closed: (p) => `Litige clos : ${p.resolution} ; les relances reprennent`,
      promise_recorded: (p) => `Promesse de payer ${money(p.amountCents, p.currency)} au plus tard le ${date(p.promisedOn)} ; les relances attendent jusque-là`,
      promise_kept: (p) => `La promesse de payer ${money(p.amountCents, p.currency)} au ${date(p.promisedOn)} a été tenue`,
      promise_broken: (p) => `La promesse de payer ${money(p.amountCents, p.currency)} au ${date(p.promisedOn)} n'a pas été tenue : les relances reprennent`,
      promise_withdrawn: (p) => `La promesse de payer ${money(p.amountCents, p.currency)} au ${date(p.promisedOn)} a été retirée : les relances reprennent`,
      late_charges_issued: (p) => `Note de pénalités émise au ${date(p.asOf)} : intérêts ${money(p.interestCents, p.currency)}, indemnité forfaitaire ${money(p.indemnityCents, p.currency)}`,
      email: (p) => `${p.step} : e-mail ${t.deliveryStatuses[p.status].toLowerCase()}${p.detail ? ` (${p.detail})` : ''}`,
    };
  }
  const cause = (c: PauseCause) => ('statementCancelled' in c ? `statement #${c.statementCancelled} cancelled by ${c.by}` : `import #${c.importCancelled} stopped by ${c.by} before its workflow started`);
  return {
    note: (p) => p.text,
    document_sent: (p) => `Invoice sent to the customer on ${date(p.sentOn)}`,
    reminder_sent: (p) =>
      `${p.step} sent by e-mail to ${p.recipients.join(', ')}${p.withPdf ? ' with the invoice PDF' : ''}${p.alsoByLetter ? ', and as a letter' : ''}${p.statementOf ? `, in a statement of ${p.statementOf} invoices` : ''}${note(p.note)}`,
    reminder_failed: (p) => `${p.step} could not be sent${p.inStatement ? ' in the customer statement' : ''}: ${p.reason}`,
    letter_prepared: (p) => `${p.step}: letter ready to print${p.statementOf ? `, in a statement of ${p.statementOf} invoices` : ''}${note(p.note)}`,
    letter_printed: (p) => `${p.step}: letter marked as printed and sent`,
    tracking_recorded: (p) => `${p.step}: sent by registered letter with acknowledgement of receipt, no. ${p.trackingNumber}`,
    reminder_manual: (p) => `${p.step} done by hand: ${p.note}${p.nextOn ? ` — next reminder on ${date(p.nextOn)}` : ''}`,
    payment_received: (p) => `Payment of ${money(p.amountCents, p.currency)} (${t.paymentMethods[p.method]}) received on ${date(p.paidOn)}; balance ${money(p.balanceCents, p.currency)}`,
    paused: (p) => `Dunning paused${p.wholeCustomer ? ' for the whole customer' : ''}: ${p.cause ? cause(p.cause) : p.reason}`,
    resumed: (p) => (p.afterStop ? 'Dunning resumed after an operator stop' : `Dunning resumed${p.wholeCustomer ? ' for the whole customer' : ''}`),
    dunning_stopped: (p) => `Dunning stopped by an operator: its workflow was ${p.how} in Temporal. Nothing is sent until it is resumed from the admin site.`,
    dunning_repaired: (p) =>
      p.lastEnded
        ? `Dunning workflow started again by the repair pass: the last one ended (${p.lastEnded}) while the invoice was still open`
        : 'Dunning workflow started by the repair pass: the invoice had none (written while the workflow engine was unreachable)',
    dunning_litigation: (p) => `Final step "${p.step}" done: the invoice goes to litigation`,
    dunning_completed: () => 'Every follow-up step has been performed',
    dunning_paid: () => 'Dunning ended: invoice paid',
    dunning_cancelled: () => 'Dunning ended: invoice cancelled',
    sepa_run_failed: (p) => `SEPA run #${p.runId} failed before anything was sent to the bank (${p.reason}): the invoice is chased again`,
    sepa_run_cancelled: (p) => `SEPA run #${p.runId} cancelled by ${p.by} before this debit was asked: the invoice is chased again`,
    sepa_collection_sent: (p) =>
      p.paymentIntentId
        ? `SEPA direct debit of ${money(p.amountCents)} requested from Stripe (${p.paymentIntentId})`
        : `SEPA direct debit of ${money(p.amountCents)} sent to the bank for ${date(p.collectionDate!)} (${p.sequence})`,
    sepa_collection_rejected: (p) => `SEPA direct debit ${p.viaStripe ? 'through Stripe ' : ''}rejected: ${p.reason}`,
    dispute_opened: (p) => `Disputed: ${p.reason} (${p.owner ? `handled by ${p.owner}` : t.unassigned}); dunning waits`,
    dispute_assigned: (p) => `Dispute now handled by ${p.owner}`,
    dispute_closed: (p) => `Dispute closed: ${p.resolution}; dunning resumes`,
    promise_recorded: (p) => `Promise to pay ${money(p.amountCents, p.currency)} by ${date(p.promisedOn)}; dunning waits until then`,
    promise_kept: (p) => `The promise to pay ${money(p.amountCents, p.currency)} by ${date(p.promisedOn)} was kept`,
    promise_broken: (p) => `The promise to pay ${money(p.amountCents, p.currency)} by ${date(p.promisedOn)} was not kept: dunning resumes`,
    promise_withdrawn: (p) => `The promise to pay ${money(p.amountCents, p.currency)} by ${date(p.promisedOn)} was withdrawn: dunning resumes`,
    late_charges_issued: (p) => `Late-charge note issued as of ${date(p.asOf)}: interest ${money(p.interestCents, p.currency)}, recovery indemnity ${money(p.indemnityCents, p.currency)}`,
    email: (p) => `${p.step}: e-mail ${t.deliveryStatuses[p.status].toLowerCase()}${p.detail ? ` (${p.detail})` : ''}`,
  };
}

const cache = new Map<Lang, Texts>();

/** What a timeline entry says in the reader's language; an entry written before its parameters were kept says what it said then. */
export function eventText(entry: Pick<TimelineEntry, 'kind' | 'params' | 'message'>, lang: Lang): string {
  if (!entry.params) return entry.message;
  let catalogue = cache.get(lang);
  if (!catalogue) cache.set(lang, (catalogue = texts(lang)));
  const delivery = /^email_(.+)$/.exec(entry.kind)?.[1];
  if (delivery) return catalogue.email({ ...(entry.params as { step: string; detail: string | null }), status: delivery as DeliveryStatus });
  const text = catalogue[entry.kind as keyof EventParams] as ((p: unknown) => string) | undefined;
  return text ? text(entry.params) : entry.message;
}
