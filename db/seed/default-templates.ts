/** Relance's own default texts for the four default levels (DESIGN.md §2), in French and English. */

export interface DefaultStep {
  name: string;
  colour: string;
  delayDays: number;
  isFinal: boolean;
  feeCents: number | null;
  email: Record<'fr' | 'en', { subject: string; body: string }>;
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
<p>Par la présente, nous vous mettons en demeure de régler cette somme sous huit jours à compter de la réception de ce courrier. À défaut, nous engagerons sans autre préavis une procédure de recouvrement judiciaire.</p>
<p>Conformément à l'article L441-10 du Code de commerce, des pénalités de retard sont exigibles, ainsi qu'une indemnité forfaitaire pour frais de recouvrement de {{fee}}.</p>
${overdueList.fr}
${signature.fr}`,
      },
      en: {
        subject: 'Formal notice to pay: invoice {{invoice.number}}',
        body: `<p>Dear Sir or Madam,</p>
${thanks.en}
<p>{{#if previousCount}}Despite {{previousRemindersText}}, invoice{{else}}Invoice{{/if}} <strong>{{invoice.number}}</strong> of {{invoice.issueDate}}, due on {{invoice.dueDate}}, remains unpaid for <strong>{{amountDue}}</strong>.</p>
${claimDetail.en}
<p>We hereby give you formal notice to pay this amount within eight days of receipt of this letter. Failing that, we will start legal recovery proceedings without further notice.</p>
<p>Late-payment interest is due by law, together with a fixed recovery indemnity of {{fee}}.</p>
${overdueList.en}
${signature.en}`,
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
