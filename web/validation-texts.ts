import { formatDate } from '../services/format.js';
import { messages, type Lang } from './i18n.js';

type Rule = [RegExp, (m: RegExpMatchArray) => string];

/** "125050" cents as « 1 250,50 »: the import's amounts are written without a currency. */
const euros = (cents: string) => new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 2 }).format(Number(cents) / 100);

/** The messages of the admin's form rules (and of the IBAN, BIC and ICS checks), in French. */
const FRENCH: Rule[] = [
  [/^required$/, () => 'obligatoire'],
  [/^a date YYYY-MM-DD$/, () => 'une date AAAA-MM-JJ'],
  [/^YYYY-MM-DD$/, () => 'AAAA-MM-JJ'],
  [/^whole days$/, () => 'un nombre entier de jours'],
  [/^a whole hour$/, () => 'une heure entière'],
  [/^a step level$/, () => "un niveau d'étape"],
  [/^a policy$/, () => 'une politique'],
  [/^at most (-?[\d,]+) characters$/, (m) => `${m[1]} caractères au plus`],
  [/^at least (-?[\d,]+) characters$/, (m) => `${m[1]} caractères au moins`],
  [/^at most (-?\d+)$/, (m) => `${m[1]} au plus`],
  [/^at least (-?\d+)$/, (m) => `${m[1]} au moins`],
  [/^from (\d+) to (\d+) days$/, (m) => `de ${m[1]} à ${m[2]} jours`],
  [/^an hour from 0 to 23$/, () => 'une heure de 0 à 23'],
  [/^an e-mail address$/, () => 'une adresse e-mail'],
  [/^admin or finance$/, () => 'admin ou finance'],
  [/^email, letter or both$/, () => 'e-mail, courrier ou les deux'],
  [/^step, email or letter$/, () => "celui de l'étape, e-mail ou courrier"],
  [/^none, fixed or reference$/, () => 'aucun, fixe ou taux de référence'],
  [/^a positive amount such as 1250.00$/, () => 'un montant positif, par exemple 1250,00'],
  [/^an amount such as ([\d.]+)(, or empty)?$/, (m) => `un montant, par exemple ${m[1]!.replace('.', ',')}${m[2] ? ', ou rien' : ''}`],
  [/^an amount above zero such as ([\d.]+)$/, (m) => `un montant supérieur à zéro, par exemple ${m[1]!.replace('.', ',')}`],
  [/^a colour such as (#\w+)$/, (m) => `une couleur, par exemple ${m[1]}`],
  [/^an IANA time zone such as (.+)$/, (m) => `un fuseau horaire IANA, par exemple ${m[1]}`],
  [/^a country whose public holidays are known$/, () => 'un pays dont les jours fériés sont connus'],
  [/^does not match the new password$/, () => 'ne correspond pas au nouveau mot de passe'],
  [/^not a valid IBAN \(country, check digits and length\)$/, () => "n'est pas un IBAN valide (pays, clé de contrôle et longueur)"],
  [/^not a valid BIC \(8 or 11 characters\)$/, () => "n'est pas un BIC valide (8 ou 11 caractères)"],
  [/^not a valid SEPA creditor identifier \(ICS\), e\.g\. (\w+)$/, (m) => `n'est pas un identifiant créancier SEPA (ICS) valide, par exemple ${m[1]}`],
  [/^the key of the form, as it was shown$/, () => 'la clé du formulaire, telle qu\'affichée'],
  [/^the first day of a half-year, 1 January or 1 July \(YYYY-01-01 or YYYY-07-01\)$/, () => 'le premier jour d\'un semestre, 1er janvier ou 1er juillet (AAAA-01-01 ou AAAA-07-01)'],
  [/^a yearly rate between 0 and 100, such as 10 or 12,15$/, () => 'un taux annuel entre 0 et 100, par exemple 10 ou 12,15'],
  [/^a rate in percent such as 2,15$/, () => 'un taux en pour cent, par exemple 2,15'],
  [/^already a user$/, () => 'déjà un utilisateur'],
  [/^not found$/, () => 'introuvable'],
  [/^larger than (\d+) MB$/, (m) => `plus de ${m[1]} Mo`],
  [/^customers, invoices or payments$/, () => 'clients, factures ou règlements'],
  [/^not the same mode \(test or live\) as the secret key$/, () => 'pas le même mode (test ou production) que la clé secrète'],
  // The CSV import's rows, checked by the API's own rules.
  [/^missing column$/, () => 'colonne manquante'],
  [/^unknown column; expected (.+)$/, (m) => `colonne inconnue ; colonnes attendues : ${m[1]}`],
  [/^no rows under the header$/, () => "aucune ligne sous l'en-tête"],
  [/^repeats line (\d+)$/, (m) => `répète la ligne ${m[1]}`],
  [/^this file was already imported$/, () => 'ce fichier a déjà été importé'],
  [/^already another customer's mandate$/, () => "déjà le mandat d'un autre client"],
  [/^no customer "(.+)": import the customers first$/, (m) => `aucun client « ${m[1]} » : importez d'abord les clients`],
  [/^no invoice "(.+)"$/, (m) => `aucune facture « ${m[1]} »`],
  [/^the invoice is in (\w+)$/, (m) => `la facture est en ${m[1]}`],
  [/^is required$/, () => 'obligatoire'],
  [/^must be a calendar date written YYYY-MM-DD$/, () => 'une date du calendrier écrite AAAA-MM-JJ'],
  [/^(.+) must be a number of cents$/, (m) => `${m[1]} doit être un nombre de centimes`],
  [/^must be above zero$/, () => 'doit être supérieur à zéro'],
  [/^is too large$/, () => 'est trop grand'],
  [/^is longer than (\d+) characters$/, (m) => `dépasse ${m[1]} caractères`],
  [/^at most (\d+) addresses$/, (m) => `${m[1]} adresses au plus`],
  [/^must be a two-letter ISO country code$/, () => 'un code pays ISO à deux lettres'],
  [/^must be a three-letter ISO currency code( such as EUR)?$/, (m) => `un code devise ISO à trois lettres${m[1] ? ', par exemple EUR' : ''}`],
  [/^give one of dueDate, dueRule, installments or paymentTerms, not several$/, () => 'donnez une seule des valeurs suivantes : dueDate, dueRule, installments ou paymentTerms'],
  [/^give a dueDate, a dueRule, installments or paymentTerms: the customer has no default payment terms$/, () => "donnez une échéance ou des conditions de paiement : le client n'a pas de conditions par défaut"],
  [/^no payment terms "(.+)" in the settings$/, (m) => `aucunes conditions de paiement « ${m[1]} » dans les paramètres`],
  [/^is before issueDate$/, () => "est avant la date d'émission"],
  [/^must be (fr or en|email or letter)$/, (m) => (m[1] === 'fr or en' ? 'fr ou en' : 'email ou letter')],
  [/^letters, digits and (.+) only, (\d+) at most$/, (m) => `lettres, chiffres et ${m[1]} seulement, ${m[2]} au plus`],
  [/^a SIRET of 14 digits$/, () => 'un SIRET de 14 chiffres'],
  [/^an intra-community VAT number such as (\w+)$/, (m) => `un numéro de TVA intracommunautaire, par exemple ${m[1]}`],
  // The customer's page.
  [/^at most (\d+) at once$/, (m) => `${m[1]} au plus à la fois`],
  [/^one currency at a time$/, () => 'une seule devise à la fois'],
  // Payment terms, from the settings' form.
  [/^row (\d+): (.+)$/, (m) => `ligne ${m[1]} : ${validationText(m[2]!, 'fr')}`],
  [/^one due date or a schedule$/, () => 'une échéance ou un échéancier'],
  [/^at order, days, or days end of month$/, () => 'à la commande, jours nets ou jours fin de mois'],
  [/^a percentage above 0 and at most 100, such as 30 or 8,33$/, () => "un pourcentage au-dessus de 0 et jusqu'à 100, par exemple 30 ou 8,33"],
  [/^already the name of other terms$/, () => "déjà le nom d'autres conditions"],
  [/^at least one installment is required$/, () => 'au moins une échéance'],
  [/^must total exactly 100 % of the invoice \(percent lines make ([\d.]+) %.*\)$/, (m) => `doit faire exactement 100 % de la facture (les pourcentages font ${m[1]!.replace('.', ',')} %)`],
  // Invoice lines, from the API or the import's line columns.
  [/^must be a number$/, () => 'doit être un nombre'],
  [/^must be a whole number of cents$/, () => 'doit être un nombre entier de centimes'],
  [/^three decimals at most$/, () => 'trois décimales au plus'],
  [/^two decimals at most$/, () => 'deux décimales au plus'],
  [/^from 0 to 100$/, () => 'de 0 à 100'],
  [/^at most (\d+) lines$/, (m) => `${m[1]} lignes au plus`],
  [/^the lines make (-?\d+) cents including VAT, not (\d+)$/, (m) => `les lignes font ${euros(m[1]!)} TTC, et non ${euros(m[2]!)}`],
  [/^differs from line (\d+), the invoice's first line$/, (m) => `diffère de la ligne ${m[1]}, la première de cette facture`],
  // The invoice page's actions, refused by what the invoice is at that moment.
  [/^one of the steps after level (\d+)$/, (m) => `une des étapes après le niveau ${m[1]}`],
  [/^(.+) is the last step, nothing follows it; leave the date empty$/, (m) => `« ${m[1]} » est la dernière étape, rien ne la suit ; laissez la date vide`],
  [/^a date after today, YYYY-MM-DD$/, () => "une date après aujourd'hui, AAAA-MM-JJ"],
  [/^(.+) was already sent or is being sent$/, (m) => `« ${m[1]} » a déjà été envoyée ou part en ce moment`],
  [/^today or later \((\d{4}-\d{2}-\d{2})\)$/, (m) => `aujourd'hui ou plus tard (${formatDate(m[1]!, 'fr')})`],
  [/^a dispute is already open on this invoice$/, () => 'un litige est déjà ouvert sur cette facture'],
  [/^no dispute is open on this invoice$/, () => "aucun litige n'est ouvert sur cette facture"],
  [/^the invoice has no balance left$/, () => 'la facture est entièrement réglée'],
  [/^at most the balance, ([\d.]+)$/, (m) => `au plus le reste dû, ${m[1]!.replace('.', ',')}`],
  [/^a promise is already pending on this invoice$/, () => 'une promesse est déjà en attente sur cette facture'],
  [/^no promise is pending$/, () => "aucune promesse n'est en attente"],
  [/^no letter at this level$/, () => 'aucun courrier à ce niveau'],
  [/^a tracking number of 8 to 20 letters and digits, such as (.+)$/, (m) => `un numéro de suivi de 8 à 20 lettres et chiffres, par exemple ${m[1]}`],
  // Factur-X invoices, from the import page or the API.
  [/^is not a readable PDF$/, () => "n'est pas un PDF lisible"],
  [/^is larger than (\d+) MB$/, (m) => `fait plus de ${m[1]} Mo`],
  [/^at most (\d+) files$/, (m) => `${m[1]} fichiers au plus`],
  [/^carries an attachment larger than (\d+) MB once uncompressed$/, (m) => `porte une pièce jointe de plus de ${m[1]} Mo une fois décompressée`],
  [/^the XML declares a DOCTYPE, which an invoice never needs$/, () => "le XML déclare un DOCTYPE, dont une facture n'a jamais besoin"],
  [/^a plain PDF: no Factur-X XML is attached to it$/, () => 'un PDF simple : aucun XML Factur-X n’y est joint'],
  [/^an unknown profile "(.*)": MINIMUM, BASIC WL, BASIC, EN 16931 or EXTENDED$/, (m) => `un profil inconnu « ${m[1]} » : MINIMUM, BASIC WL, BASIC, EN 16931 ou EXTENDED`],
  [/^is missing: the (.+) profile requires it$/, (m) => `manque : le profil ${m[1]} l'exige`],
  [/^does not follow the (.+?) profile \(.*\)$/, (m) => `ne suit pas le profil ${m[1]}`],
  [/^the XML does not follow the (.+) profile$/, (m) => `le XML ne suit pas le profil ${m[1]}`],
  [/^breaks a rule of the (.+?) profile: \[([\w-]+)\].*$/, (m) => `enfreint la règle ${m[2]} du profil ${m[1]}`],
  [/^breaks a rule of the (.+?) profile: .*$/, (m) => `enfreint une règle du profil ${m[1]}`],
  [/^type (\w+) is not an invoice to chase \(380, 384, 389 or 393\); a credit note is recorded on its invoice as a payment$/,
    (m) => `le type ${m[1]} n'est pas une facture à relancer (380, 384, 389 ou 393) ; un avoir s'enregistre sur sa facture comme un règlement`],
  [/^issued by (.+) \((SIREN|VAT) (\S+)\), not by (.+) \((?:SIREN|VAT) (\S+)\)$/,
    (m) => `émise par ${m[1]} (${m[2] === 'VAT' ? 'TVA' : 'SIREN'} ${m[3]}), et non par ${m[4]} (${m[2] === 'VAT' ? 'TVA' : 'SIREN'} ${m[5]})`],
  [/^"(.+)" is not a VAT number \(two letters, then 2 to 13 characters\)$/, (m) => `« ${m[1]} » n'est pas un numéro de TVA (deux lettres, puis 2 à 13 caractères)`],
  [/^customer (\S+) has (SIREN|VAT number) (\S+), this buyer (\S+)$/, (m) => `le client ${m[1]} a le ${m[2] === 'SIREN' ? 'SIREN' : 'numéro de TVA'} ${m[3]}, cet acheteur ${m[4]}`],
  [/^invoice (\S+) is also in (.+)$/, (m) => `la facture ${m[1]} est aussi dans ${m[2]}`],
  [/^no due date \(BT-9\), no payment terms the settings name \(BT-20\), and the customer has no default terms$/,
    () => "ni échéance (BT-9), ni conditions de paiement connues des paramètres (BT-20), et le client n'a pas de conditions par défaut"],
  [/^Invalid input.*$/, () => 'valeur invalide'],
];

/** A form rule's message in the reader's language; a message not known here is shown as it is. */
export function validationText(message: string, lang: Lang): string {
  if (lang !== 'fr') return message;
  for (const [pattern, say] of FRENCH) {
    const m = pattern.exec(message);
    if (m) return say(m);
  }
  return message;
}

/** The fields whose label is worded under another name in the catalogue. */
const LABELS: Record<string, string> = {
  reference: 'mandateReference', sequence: 'sequenceType', confirmation: 'confirmPassword', current: 'currentPassword',
  nextOn: 'nextDate', holder: 'accountHolder', paidOn: 'date', level: 'level', copyFrom: 'copyStepsFrom',
  isFinal: 'final', kind: 'importKind', emails: 'email', selection: 'invoices', promise: 'promiseToPay', shape: 'termsShape',
};
const CODES: Record<string, string> = { iban: 'IBAN', bic: 'BIC' };

/** A form field as its label reads on the page ("reason" is « Motif »), else its name. */
export function fieldLabel(field: string, lang: Lang): string {
  if (CODES[field]) return CODES[field];
  const label = (messages(lang) as unknown as Record<string, unknown>)[LABELS[field] ?? field];
  return typeof label === 'string' ? label : field;
}
