/** Relance's own default texts for the four default levels (DESIGN.md §2), in French and English. */

export interface DefaultStep {
  name: string;
  colour: string;
  delayDays: number;
  isFinal: boolean;
  feeCents: number | null;
  email: Record<'fr' | 'en', { subject: string; body: string }>;
  /** The same step worded as a posted letter: formal salutation, the enclosed copy, a signature block. */
  letter: Record<'fr' | 'en', { subject: string; body: string }>;
}

const overdueList = {
  fr: `{{#if overdueInvoices.length}}
<p>Pour mémoire, voici l'ensemble de vos factures échues à ce jour :</p>
<table style="border-collapse:collapse;width:100%;font-size:13px">
<tr><th align="left">Facture</th><th align="left">Échéance</th><th align="right">Reste dû</th><th align="right">Retard</th></tr>
{{#each overdueInvoices}}<tr><td>{{number}}</td><td>{{dueDate}}</td><td align="right">{{balance}}</td><td align="right">{{daysLate}} j</td></tr>
{{/each}}<tr><td colspan="2"><strong>Total</strong></td><td align="right"><strong>{{totalOverdue}}</strong></td><td></td></tr>
</table>
{{/if}}`,
  en: `{{#if overdueInvoices.length}}
<p>For your records, these are all your invoices past due today:</p>
<table style="border-collapse:collapse;width:100%;font-size:13px">
<tr><th align="left">Invoice</th><th align="left">Due date</th><th align="right">Balance</th><th align="right">Days late</th></tr>
{{#each overdueInvoices}}<tr><td>{{number}}</td><td>{{dueDate}}</td><td align="right">{{balance}}</td><td align="right">{{daysLate}}</td></tr>
{{/each}}<tr><td colspan="2"><strong>Total</strong></td><td align="right"><strong>{{totalOverdue}}</strong></td><td></td></tr>
</table>
{{/if}}`,
};

// On a schedule of installments, a reminder claims the installments due and names the rest as still to come.
const claimDetail = {
  fr: `{{#if amountToCome}}<p>Ce montant correspond {{#if claimedInstallments.length}}aux échéances suivantes :</p>
<ul>{{#each claimedInstallments}}<li>{{#if label}}{{label}} : {{/if}}{{open}}, échéance du {{dueDate}}</li>{{/each}}</ul>
<p>Le{{else}}à la partie échue de la facture. Le{{/if}} solde de {{amountToCome}} reste à échoir selon l'échéancier convenu et n'est pas concerné par ce courrier.</p>{{/if}}`,
  en: `{{#if amountToCome}}<p>This amount is {{#if claimedInstallments.length}}made of the following installments:</p>
<ul>{{#each claimedInstallments}}<li>{{#if label}}{{label}}: {{/if}}{{open}}, due on {{dueDate}}</li>{{/each}}</ul>
<p>The{{else}}the part of the invoice already due. The{{/if}} remaining {{amountToCome}} is not yet due under the agreed schedule and is not concerned by this message.</p>{{/if}}`,
};

// A payment received since the last reminder is acknowledged before anything is asked.
const thanks = {
  fr: `{{#if paymentReceived.amount}}<p>Nous avons bien reçu votre règlement de {{paymentReceived.amount}} du {{paymentReceived.date}} et vous en remercions.</p>{{/if}}`,
  en: `{{#if paymentReceived.amount}}<p>We have received your payment of {{paymentReceived.amount}} of {{paymentReceived.date}}, thank you.</p>{{/if}}`,
};

const signature = {
  fr: `<p>Nous vous prions d'agréer nos salutations distinguées.</p><p>Le service comptabilité<br>{{company.name}}</p>`,
  en: `<p>Kind regards,</p><p>Accounts receivable<br>{{company.name}}</p>`,
};

// A letter closes with the formal salutation and a signature block set to the right, where it is signed.
const letterSignature = {
  fr: `<p>Nous vous prions d'agréer, Madame, Monsieur, l'expression de nos salutations distinguées.</p>
<div class="signature">Le service comptabilité<br>{{company.name}}</div>`,
  en: `<p>Yours faithfully,</p>
<div class="signature">Accounts receivable<br>{{company.name}}</div>`,
};

// The statutory late charges (Code de commerce L441-10) as the late-charge module counts them today; nothing when the policy charges none.
const charges = {
  fr: `{{#if lateCharges.total}}<p>Conformément à l'article L441-10 du Code de commerce, s'y ajoutent de plein droit {{#if lateCharges.interest}}les pénalités de retard{{#if lateCharges.rate}} au taux annuel de {{lateCharges.rate}}{{/if}}, soit {{lateCharges.interest}} au {{today}}{{#if lateCharges.indemnity}}, et {{/if}}{{/if}}{{#if lateCharges.indemnity}}l'indemnité forfaitaire pour frais de recouvrement de {{lateCharges.indemnity}}{{/if}}.</p>{{/if}}`,
  en: `{{#if lateCharges.total}}<p>Under article L441-10 of the French Commercial Code, the following are added by law: {{#if lateCharges.interest}}late-payment interest{{#if lateCharges.rate}} at the yearly rate of {{lateCharges.rate}}{{/if}}, {{lateCharges.interest}} as of {{today}}{{#if lateCharges.indemnity}}, and {{/if}}{{/if}}{{#if lateCharges.indemnity}}the fixed recovery indemnity of {{lateCharges.indemnity}}{{/if}}.</p>{{/if}}`,
};

// What the formal notice claims, by when, and what follows when the deadline passes.
const demand = {
  fr: (by: string) => `<p>En conséquence, nous vous mettons en demeure de nous régler la somme de <strong>{{totalClaimed}}</strong> ${by}.</p>
<p>À défaut de règlement dans ce délai, nous saisirons sans autre préavis la juridiction compétente, par voie d'injonction de payer, afin d'obtenir le paiement des sommes dues ; les frais de la procédure resteraient à votre charge.</p>
<p>La présente vaut mise en demeure au sens de l'article 1344 du Code civil.</p>`,
  en: (by: string) => `<p>We therefore give you formal notice to pay us <strong>{{totalClaimed}}</strong> ${by}.</p>
<p>Failing payment within this time, we will apply to the competent court without further notice, by way of an order for payment, to recover the sums due; the costs of the proceedings would be yours to bear.</p>
<p>This letter constitutes formal notice to pay.</p>`,
};

export const DEFAULT_STEPS: DefaultStep[] = [
  {
    name: 'Relance 1',
    colour: '#f59e0b',
    delayDays: 0,
    isFinal: false,
    feeCents: null,
    email: {
      fr: {
        subject: 'Facture {{invoice.number}} : échéance du {{invoice.dueDate}}',
        body: `<p>Bonjour,</p>
${thanks.fr}
<p>Sauf erreur de notre part, la facture <strong>{{invoice.number}}</strong> du {{invoice.issueDate}}, arrivée à échéance le {{invoice.dueDate}}, reste à régler pour un montant de <strong>{{amountDue}}</strong>.</p>
${claimDetail.fr}
<p>Il s'agit peut-être d'un simple oubli : nous vous remercions de bien vouloir procéder au règlement dès réception de ce message. Si votre paiement est déjà parti, merci de ne pas tenir compte de ce rappel.</p>
${overdueList.fr}
${signature.fr}`,
      },
      en: {
        subject: 'Invoice {{invoice.number}}: payment due {{invoice.dueDate}}',
        body: `<p>Hello,</p>
${thanks.en}
<p>According to our records, invoice <strong>{{invoice.number}}</strong> of {{invoice.issueDate}}, due on {{invoice.dueDate}}, still has <strong>{{amountDue}}</strong> outstanding.</p>
${claimDetail.en}
<p>This may simply have been overlooked: we would be grateful if you could arrange payment on receipt of this message. If you have already paid, please disregard this reminder.</p>
${overdueList.en}
${signature.en}`,
      },
    },
    letter: {
      fr: {
        subject: 'Facture n° {{invoice.number}} du {{invoice.issueDate}} : rappel d\'échéance',
        body: `<p>Madame, Monsieur,</p>
${thanks.fr}
<p>Sauf erreur de notre part, notre facture n° <strong>{{invoice.number}}</strong> du {{invoice.issueDate}}, arrivée à échéance le {{invoice.dueDate}}, reste impayée pour un montant de <strong>{{amountDue}}</strong>. Vous en trouverez une copie ci-jointe.</p>
${claimDetail.fr}
<p>Il s'agit sans doute d'un simple oubli. Nous vous remercions de bien vouloir procéder à son règlement dès réception de ce courrier. Si votre paiement nous est parvenu entre-temps, nous vous prions de ne pas tenir compte de cette lettre.</p>
${overdueList.fr}
${letterSignature.fr}`,
      },
      en: {
        subject: 'Invoice no. {{invoice.number}} of {{invoice.issueDate}}: payment reminder',
        body: `<p>Dear Sir or Madam,</p>
${thanks.en}
<p>According to our records, our invoice no. <strong>{{invoice.number}}</strong> of {{invoice.issueDate}}, due on {{invoice.dueDate}}, remains unpaid for <strong>{{amountDue}}</strong>. A copy is enclosed.</p>
${claimDetail.en}
<p>This has probably been overlooked. We would be grateful if you could arrange payment on receipt of this letter. If your payment has reached us in the meantime, please disregard it.</p>
${overdueList.en}
${letterSignature.en}`,
      },
    },
  },
  {
    name: 'Relance 2',
    colour: '#ea580c',
    delayDays: 15,
    isFinal: false,
    feeCents: null,
    email: {
      fr: {
        subject: 'Deuxième relance : facture {{invoice.number}} impayée ({{daysLate}} jours de retard)',
        body: `<p>Bonjour,</p>
${thanks.fr}
<p>{{#if previousCount}}Malgré {{previousRemindersText}}, la facture{{else}}La facture{{/if}} <strong>{{invoice.number}}</strong>, échue depuis le {{invoice.dueDate}}, reste impayée à ce jour. Le montant dû s'élève à <strong>{{amountDue}}</strong>.</p>
${claimDetail.fr}
<p>Nous vous remercions de régulariser cette situation dans les meilleurs délais, ou de nous contacter si un point de la facture pose difficulté.</p>
${overdueList.fr}
${signature.fr}`,
      },
      en: {
        subject: 'Second reminder: invoice {{invoice.number}} unpaid ({{daysLate}} days overdue)',
        body: `<p>Hello,</p>
${thanks.en}
<p>{{#if previousCount}}Despite {{previousRemindersText}}, invoice{{else}}Invoice{{/if}} <strong>{{invoice.number}}</strong>, due since {{invoice.dueDate}}, remains unpaid. The amount due is <strong>{{amountDue}}</strong>.</p>
${claimDetail.en}
<p>Please settle it as soon as possible, or contact us if anything on the invoice needs clarifying.</p>
${overdueList.en}
${signature.en}`,
      },
    },
    letter: {
      fr: {
        subject: 'Deuxième relance : facture n° {{invoice.number}} du {{invoice.issueDate}}',
        body: `<p>Madame, Monsieur,</p>
${thanks.fr}
<p>{{#if previousCount}}Malgré {{previousRemindersText}}, notre facture{{else}}Notre facture{{/if}} n° <strong>{{invoice.number}}</strong> du {{invoice.issueDate}}, échue depuis le {{invoice.dueDate}}, demeure impayée à ce jour pour un montant de <strong>{{amountDue}}</strong>, soit {{daysLate}} jours de retard. Vous en trouverez une copie ci-jointe.</p>
${claimDetail.fr}
<p>Nous vous remercions de bien vouloir régulariser cette situation dans les meilleurs délais ou, si un élément de cette facture appelle une remarque de votre part, de prendre contact avec notre service comptabilité.</p>
${overdueList.fr}
${letterSignature.fr}`,
      },
      en: {
        subject: 'Second reminder: invoice no. {{invoice.number}} of {{invoice.issueDate}}',
        body: `<p>Dear Sir or Madam,</p>
${thanks.en}
<p>{{#if previousCount}}Despite {{previousRemindersText}}, our invoice{{else}}Our invoice{{/if}} no. <strong>{{invoice.number}}</strong> of {{invoice.issueDate}}, due since {{invoice.dueDate}}, remains unpaid for <strong>{{amountDue}}</strong>, {{daysLate}} days overdue. A copy is enclosed.</p>
${claimDetail.en}
<p>Please settle it as soon as possible or, if anything on this invoice calls for a remark, contact our accounts department.</p>
${overdueList.en}
${letterSignature.en}`,
      },
    },
  },
  {
    name: 'Relance 3',
    colour: '#dc2626',
    delayDays: 15,
    isFinal: false,
    feeCents: null,
    email: {
      fr: {
        subject: 'Dernier rappel avant mise en demeure : facture {{invoice.number}}',
        body: `<p>Bonjour,</p>
${thanks.fr}
<p>{{#if previousCount}}Malgré {{previousRemindersText}}, la facture <strong>{{invoice.number}}</strong> reste impayée.{{else}}La facture <strong>{{invoice.number}}</strong> reste impayée.{{/if}} Le montant de <strong>{{amountDue}}</strong> est dû depuis le {{invoice.dueDate}}, soit {{daysLate}} jours de retard.</p>
${claimDetail.fr}
<p>Sans règlement de votre part sous huit jours, nous serons contraints de vous adresser une mise en demeure, avec application des pénalités de retard et de l'indemnité forfaitaire pour frais de recouvrement prévues par l'article L441-10 du Code de commerce.</p>
${overdueList.fr}
${signature.fr}`,
      },
      en: {
        subject: 'Final reminder before formal notice: invoice {{invoice.number}}',
        body: `<p>Hello,</p>
${thanks.en}
<p>{{#if previousCount}}Despite {{previousRemindersText}}, invoice <strong>{{invoice.number}}</strong> remains unpaid.{{else}}Invoice <strong>{{invoice.number}}</strong> remains unpaid.{{/if}} The amount of <strong>{{amountDue}}</strong> has been due since {{invoice.dueDate}}, {{daysLate}} days ago.</p>
${claimDetail.en}
<p>Without payment within eight days, we will have to send you a formal notice, with late-payment interest and the fixed recovery indemnity provided for by law.</p>
${overdueList.en}
${signature.en}`,
      },
    },
    letter: {
      fr: {
        subject: 'Dernier rappel avant mise en demeure : facture n° {{invoice.number}}',
        body: `<p>Madame, Monsieur,</p>
${thanks.fr}
<p>{{#if previousCount}}Malgré {{previousRemindersText}}, notre facture{{else}}Notre facture{{/if}} n° <strong>{{invoice.number}}</strong> du {{invoice.issueDate}} reste impayée. Le montant de <strong>{{amountDue}}</strong> est dû depuis le {{invoice.dueDate}}, soit {{daysLate}} jours de retard. Vous en trouverez une copie ci-jointe.</p>
${claimDetail.fr}
<p>Sans règlement de votre part à bref délai, nous serons contraints de vous adresser une mise en demeure par lettre recommandée avec accusé de réception{{#if lateCharges.total}}, assortie des pénalités de retard et de l'indemnité forfaitaire pour frais de recouvrement prévues par l'article L441-10 du Code de commerce, soit {{lateCharges.total}} à ce jour{{/if}}.</p>
${overdueList.fr}
${letterSignature.fr}`,
      },
      en: {
        subject: 'Final reminder before formal notice: invoice no. {{invoice.number}}',
        body: `<p>Dear Sir or Madam,</p>
${thanks.en}
<p>{{#if previousCount}}Despite {{previousRemindersText}}, our invoice{{else}}Our invoice{{/if}} no. <strong>{{invoice.number}}</strong> of {{invoice.issueDate}} remains unpaid. The amount of <strong>{{amountDue}}</strong> has been due since {{invoice.dueDate}}, {{daysLate}} days ago. A copy is enclosed.</p>
${claimDetail.en}
<p>Without payment shortly, we will have to send you a formal notice by registered letter with acknowledgement of receipt{{#if lateCharges.total}}, with the late-payment interest and the fixed recovery indemnity provided for by article L441-10 of the French Commercial Code, {{lateCharges.total}} to date{{/if}}.</p>
${overdueList.en}
${letterSignature.en}`,
      },
    },
  },
  {
    name: 'Mise en demeure',
    colour: '#7f1d1d',
    delayDays: 15,
    isFinal: true,
    feeCents: 4000,
    email: {
      fr: {
        subject: 'Mise en demeure de payer : facture {{invoice.number}}',
        body: `<p>Madame, Monsieur,</p>
${thanks.fr}
<p>{{#if previousCount}}Malgré {{previousRemindersText}}, la facture{{else}}La facture{{/if}} <strong>{{invoice.number}}</strong> du {{invoice.issueDate}}, échue le {{invoice.dueDate}}, demeure impayée pour un montant de <strong>{{amountDue}}</strong>.</p>
${claimDetail.fr}
${charges.fr}
${demand.fr('au plus tard le {{notice.deadline}}, soit sous {{notice.days}} jours')}
${overdueList.fr}
${signature.fr}`,
      },
      en: {
        subject: 'Formal notice to pay: invoice {{invoice.number}}',
        body: `<p>Dear Sir or Madam,</p>
${thanks.en}
<p>{{#if previousCount}}Despite {{previousRemindersText}}, invoice{{else}}Invoice{{/if}} <strong>{{invoice.number}}</strong> of {{invoice.issueDate}}, due on {{invoice.dueDate}}, remains unpaid for <strong>{{amountDue}}</strong>.</p>
${claimDetail.en}
${charges.en}
${demand.en('by {{notice.deadline}} at the latest, within {{notice.days}} days')}
${overdueList.en}
${signature.en}`,
      },
    },
    letter: {
      fr: {
        subject: 'Mise en demeure de payer : facture n° {{invoice.number}} du {{invoice.issueDate}}',
        body: `<p>Madame, Monsieur,</p>
${thanks.fr}
<p>{{#if previousCount}}Malgré {{previousRemindersText}}, notre facture{{else}}Notre facture{{/if}} n° <strong>{{invoice.number}}</strong> du {{invoice.issueDate}}, échue le {{invoice.dueDate}}, demeure impayée pour un montant de <strong>{{amountDue}}</strong>. Vous en trouverez une copie ci-jointe.</p>
${claimDetail.fr}
${charges.fr}
${demand.fr('dans un délai de {{notice.days}} jours à compter de la réception de la présente lettre recommandée avec accusé de réception')}
${overdueList.fr}
${letterSignature.fr}`,
      },
      en: {
        subject: 'Formal notice to pay: invoice no. {{invoice.number}} of {{invoice.issueDate}}',
        body: `<p>Dear Sir or Madam,</p>
${thanks.en}
<p>{{#if previousCount}}Despite {{previousRemindersText}}, our invoice{{else}}Our invoice{{/if}} no. <strong>{{invoice.number}}</strong> of {{invoice.issueDate}}, due on {{invoice.dueDate}}, remains unpaid for <strong>{{amountDue}}</strong>. A copy is enclosed.</p>
${claimDetail.en}
${charges.en}
${demand.en('within {{notice.days}} days of receipt of this registered letter with acknowledgement of receipt')}
${overdueList.en}
${letterSignature.en}`,
      },
    },
  },
];

/** The special templates' default texts (the letter of each falls back to its e-mail body). */
export const DEFAULT_SPECIAL_TEMPLATES: Record<'debit_returned' | 'statement', Record<'fr' | 'en', { subject: string; body: string }>> = {
  debit_returned: {
    fr: {
      subject: 'Prélèvement rejeté : facture {{invoice.number}}',
      body: `<p>Bonjour,</p>
<p>Le prélèvement de <strong>{{amountDue}}</strong> présenté pour la facture <strong>{{invoice.number}}</strong> nous a été retourné par votre banque ({{returnReason}}).</p>
<p>Nous vous remercions de régler ce montant par virement dès réception de ce message, ou de nous indiquer un autre compte à prélever.</p>
${signature.fr}`,
    },
    en: {
      subject: 'Direct debit returned: invoice {{invoice.number}}',
      body: `<p>Hello,</p>
<p>The direct debit of <strong>{{amountDue}}</strong> for invoice <strong>{{invoice.number}}</strong> was returned by your bank ({{returnReason}}).</p>
<p>Please pay this amount by bank transfer on receipt of this message, or give us another account to debit.</p>
${signature.en}`,
    },
  },
  statement: {
    fr: {
      subject: 'Relevé de vos factures impayées : {{statementTotal}}',
      body: `<p>Bonjour,</p>
<p>Sauf erreur de notre part, les factures suivantes restent à régler :</p>
<table style="border-collapse:collapse;width:100%;font-size:13px">
<tr><th align="left">Facture</th><th align="left">Échéance</th><th align="right">Reste dû</th><th align="right">Retard</th><th align="left">Relance</th></tr>
{{#each statementLines}}<tr><td>{{number}}</td><td>{{dueDate}}</td><td align="right">{{balance}}</td><td align="right">{{daysLate}} j</td><td>{{levelName}}</td></tr>
{{/each}}<tr><td colspan="2"><strong>Total</strong></td><td align="right"><strong>{{statementTotal}}</strong></td><td colspan="2"></td></tr>
</table>
<p>Nous vous remercions de bien vouloir procéder au règlement de ces {{statementCount}} factures dès réception de ce message.</p>
${signature.fr}`,
    },
    en: {
      subject: 'Statement of your unpaid invoices: {{statementTotal}}',
      body: `<p>Hello,</p>
<p>According to our records, the following invoices are still unpaid:</p>
<table style="border-collapse:collapse;width:100%;font-size:13px">
<tr><th align="left">Invoice</th><th align="left">Due date</th><th align="right">Balance</th><th align="right">Days late</th><th align="left">Reminder</th></tr>
{{#each statementLines}}<tr><td>{{number}}</td><td>{{dueDate}}</td><td align="right">{{balance}}</td><td align="right">{{daysLate}}</td><td>{{levelName}}</td></tr>
{{/each}}<tr><td colspan="2"><strong>Total</strong></td><td align="right"><strong>{{statementTotal}}</strong></td><td colspan="2"></td></tr>
</table>
<p>We would be grateful if you could settle these {{statementCount}} invoices on receipt of this message.</p>
${signature.en}`,
    },
  },
};
