import { formatDate } from '../services/format.js';
import { messages, type Lang } from './i18n.js';

type Rule = [RegExp, (m: RegExpMatchArray) => string];

const date = (iso: string, lang: Lang) => formatDate(iso, lang);

/**
 * The reasons Relance itself writes (a reminder that could not go, a run item skipped or refused,
 * a workflow refusing a request), in French. They are stored and logged in English; a reason from
 * outside (the mail provider, the bank, Stripe) is shown as it came.
 */
const FRENCH: Rule[] = [
  [/^no e-mail address for this customer$/, () => "pas d'adresse e-mail pour ce client"],
  [/^no postal address for this customer$/, () => "pas d'adresse postale pour ce client"],
  [/^no letter or e-mail template for "(.+)"$/, (m) => `aucun modèle de courrier ni d'e-mail pour « ${m[1]} »`],
  [/^no e-mail template for "(.+)"$/, (m) => `aucun modèle d'e-mail pour « ${m[1]} »`],
  [/^invoice (\S+) does not exist$/, (m) => `la facture ${m[1]} n'existe pas`],
  [/^there is no follow-up step at level (\d+)$/, (m) => `aucune étape de relance au niveau ${m[1]}`],
  [/^nothing left to send$/, () => 'plus rien à envoyer'],
  [/^the run was cancelled before this invoice was asked$/, () => 'la relance groupée a été annulée avant cette facture'],
  [/^cancelled by (.+)$/, (m) => `annulé par ${m[1]}`],
  [/^statement #(\d+) cancelled by (.+)$/, (m) => `relevé n° ${m[1]} annulé par ${m[2]}`],
  [/^import #(\d+) cancelled by (.+) before its workflow started$/, (m) => `import n° ${m[1]} arrêté par ${m[2]} avant le démarrage de son suivi`],
  [/^dunning has ended for this invoice \((\w+)\)$/, (m) => `les relances de cette facture sont terminées (${messages('fr').dunningStatuses[m[1] as 'paid'] ?? m[1]})`],
  [/^level (\d+) was already performed \(current level (\d+)\)$/, (m) => `le niveau ${m[1]} a déjà été fait (niveau actuel ${m[2]})`],
  [/^a reason is required to pause dunning$/, () => 'un motif est nécessaire pour suspendre les relances'],
  [/^dunning is not running for this invoice$/, () => "aucun suivi n'est en cours pour cette facture"],
  [/^the customer's policy charges no late interest nor indemnity$/, () => "la politique du client ne prévoit ni intérêts de retard ni indemnité forfaitaire"],
  [/^nothing has accrued yet$/, () => "rien n'a encore couru"],
  [/^invoice (\d+) has no due date$/, (m) => `la facture n° ${m[1]} n'a pas d'échéance`],
  [/^the workflow engine is unreachable: nothing was changed, try again in a few minutes$/, () => 'le moteur de workflows est injoignable : rien n\'a été changé, réessayez dans quelques minutes'],
];

/** A run item's skip: the workflow's hold, and the next step's day when it waits for one. */
const SKIP = /^(\w+)(?:: next step on (\d{4}-\d{2}-\d{2}))?$/;

/** A reason in the reader's language. */
export function reasonText(reason: string, lang: Lang): string {
  const skip = SKIP.exec(reason);
  const hold = skip && (messages(lang).skipReasons as Record<string, string | undefined>)[skip[1]!];
  if (hold) return skip[2] ? `${hold}${lang === 'fr' ? ' ; prochaine étape le' : '; next step on'} ${date(skip[2], lang)}` : hold;
  if (lang !== 'fr') return reason;
  for (const [pattern, say] of FRENCH) {
    const m = pattern.exec(reason);
    if (m) return say(m);
  }
  return reason;
}
