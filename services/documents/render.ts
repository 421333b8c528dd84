import Handlebars from 'handlebars';
import { LRUCache } from 'lru-cache';
import type { MergeFields } from './merge-fields.js';
import { qrCodeSvg } from './qr-code.js';

// A private instance: no helper or partial registered elsewhere can leak into reminders. Its `log`
// helper would let a template's author write lines into our logs, and `lookup` reach fields by
// computed name: both are removed, and a template naming them fails to render.
const hb = Handlebars.create();
hb.unregisterHelper('log');
hb.unregisterHelper('lookup');
hb.log = () => undefined;

// Compiled templates are kept, most recently used first, within a bound on their sources' size:
// previews typed by many users must not grow the process without limit.
const compiled = new LRUCache<string, HandlebarsTemplateDelegate>({ max: 500, maxSize: 8 * 1024 * 1024, sizeCalculation: (_fn, key) => key.length + 1 });

function compile(source: string, escapeHtml: boolean): HandlebarsTemplateDelegate {
  const key = `${escapeHtml ? 'h' : 't'}:${source}`;
  let fn = compiled.get(key);
  if (!fn) {
    fn = hb.compile(source, { noEscape: !escapeHtml, strict: false });
    compiled.set(key, fn);
  }
  return fn;
}

export interface RenderedEmail {
  subject: string;
  html: string;
}

/** Subject as plain text (one line), body as escaped HTML wrapped in the company's header and footer. */
export function renderEmail(template: { subject: string; body: string }, fields: MergeFields): RenderedEmail {
  const subject = compile(template.subject, false)(fields).replace(/\s+/g, ' ').trim();
  const body = compile(template.body, true)(fields);
  const footer = [fields.company.name, fields.company.address, fields.company.email, fields.company.phone].filter(Boolean).join(' · ');
  const pay = fields.payLink ? { url: fields.payLink, label: PAY_LABEL[fields.language] } : null;
  const portal = fields.portalLink ? { url: fields.portalLink, ...PORTAL_WORDS[fields.language] } : null;
  return { subject, html: compile(EMAIL_LAYOUT, true)({ ...fields, footer, pay, portal, body: new hb.SafeString(body) }) };
}

// Every e-mail with a pay link shows it as a button, whatever its template says; and every reminder
// the customer's own page, where it can pay, promise a date or dispute without writing to us.
const PAY_LABEL = { fr: 'Payer en ligne', en: 'Pay online' };
const PORTAL_WORDS = {
  fr: { label: 'Votre espace client', lead: 'Payez, indiquez une date de paiement ou contestez une facture en ligne :' },
  en: { label: 'Your customer page', lead: 'Pay, tell us when you will pay, or dispute an invoice online:' },
};

const EMAIL_LAYOUT = `<!doctype html>
<html><head><meta charset="utf-8"><title>{{invoice.number}}</title></head>
<body style="margin:0;padding:24px;background:#f4f5f7;font-family:Helvetica,Arial,sans-serif;color:#1f2937">
<table role="presentation" width="100%" style="max-width:640px;margin:0 auto;background:#ffffff;border-radius:6px">
<tr><td style="padding:20px 28px;border-bottom:3px solid #1e3a8a;font-size:18px;font-weight:bold">{{company.name}}</td></tr>
<tr><td style="padding:24px 28px;font-size:14px;line-height:1.55">{{body}}</td></tr>
{{#if pay}}<tr><td style="padding:0 28px 24px"><a href="{{pay.url}}" style="display:inline-block;background:#1e3a8a;color:#ffffff;padding:10px 18px;border-radius:5px;text-decoration:none;font-weight:bold">{{pay.label}}</a></td></tr>{{/if}}
{{#if portal}}<tr><td style="padding:0 28px 20px;font-size:13px;color:#374151">{{portal.lead}} <a href="{{portal.url}}" style="color:#1e3a8a;font-weight:bold">{{portal.label}}</a></td></tr>{{/if}}
<tr><td style="padding:16px 28px;border-top:1px solid #e5e7eb;font-size:12px;color:#6b7280">{{footer}}{{#if company.legalMentions}}<br>{{company.legalMentions}}{{/if}}</td></tr>
</table></body></html>`;

/**
 * A postal reminder as one HTML document of two pages: the letter in the step's wording, then a
 * copy of the invoice stamped with the level's word. `part` keeps only the letter (the billing
 * system's own PDF follows it) or only the copy (attached to an e-mail).
 */
export function renderLetter(
  template: { subject: string; body: string },
  fields: MergeFields,
  copy: { stamp: string; language: 'fr' | 'en'; part?: 'letter' | 'copy'; registered?: boolean },
): string {
  const subject = compile(template.subject, false)(fields).replace(/\s+/g, ' ').trim();
  const body = new hb.SafeString(compile(template.body, true)(fields));
  const address = fields.customer.address.split('\n');
  const companyLines = [fields.company.address, [fields.company.email, fields.company.phone].filter(Boolean).join(' · ')].filter(Boolean);
  const labels = COPY_LABELS[copy.language];
  const placeAndDate = fields.company.city ? labels.placeAndDate(fields.company.city, fields.today) : fields.today;
  // The short address: a smaller QR code, and one a reader can type.
  const portalAddress = fields.portalShortLink || fields.portalLink;
  const portal = portalAddress ? { qr: new hb.SafeString(qrCodeSvg(portalAddress, 16)), url: portalAddress, ...PORTAL_WORDS[copy.language] } : null;
  return compile(LETTER_LAYOUT, true)({
    ...fields, subject, body, address, companyLines, placeAndDate, registered: copy.registered ?? false, portal,
    stamp: copy.stamp, labels, withLetter: copy.part !== 'copy', withCopy: copy.part !== 'letter',
  });
}

const COPY_LABELS = {
  fr: {
    copyOf: 'Copie de la facture', issued: 'émise le', due: 'échéance', total: 'Montant TTC', balance: 'Reste dû', claimed: 'Dont réclamé par ce courrier', toCome: 'Dont à échoir',
    schedule: 'Échéancier', installment: 'Échéance', amount: 'Montant', paid: 'Réglé', open: 'Reste dû', state: 'État',
    designation: 'Désignation', quantity: 'Qté', unitPrice: 'Prix unitaire HT', vat: 'TVA', net: 'Montant HT', totalNet: 'Total HT', vatOn: 'sur',
    subject: 'Objet :', registered: 'Lettre recommandée avec accusé de réception', placeAndDate: (city: string, date: string) => `${city}, le ${date}`,
  },
  en: {
    copyOf: 'Copy of invoice', issued: 'issued', due: 'due', total: 'Total incl. tax', balance: 'Balance', claimed: 'Of which claimed by this letter', toCome: 'Of which not yet due',
    schedule: 'Payment schedule', installment: 'Due date', amount: 'Amount', paid: 'Paid', open: 'Outstanding', state: 'Status',
    designation: 'Description', quantity: 'Qty', unitPrice: 'Unit price excl. tax', vat: 'VAT', net: 'Amount excl. tax', totalNet: 'Total excl. tax', vatOn: 'on',
    subject: 'Subject:', registered: 'Registered letter with acknowledgement of receipt', placeAndDate: (city: string, date: string) => `${city}, ${date}`,
  },
};

/** The word stamped on the invoice copy: a formal notice for the final step, else a reminder. */
export function stampWord(isFinal: boolean, language: 'fr' | 'en'): string {
  return { fr: isFinal ? 'MISE EN DEMEURE' : 'RAPPEL', en: isFinal ? 'FORMAL NOTICE' : 'REMINDER' }[language];
}

const LETTER_LAYOUT = `<!doctype html><html><head><meta charset="utf-8"><style>
@page { size: A4; margin: 18mm 20mm; }
body { font-family: Helvetica, Arial, sans-serif; font-size: 10.5pt; color: #111; margin: 0; }
/* A page each; a long letter flows onto the next page rather than losing its end. The legal line sits at the foot. */
section { position: relative; min-height: 255mm; padding-bottom: 6mm; box-sizing: border-box; }
section + section { break-before: page; }
.head { display: flex; justify-content: space-between; border-bottom: 2px solid #1e3a8a; padding-bottom: 8px; }
.company { font-size: 14pt; font-weight: bold; color: #1e3a8a; }
.small { font-size: 9pt; color: #444; }
.legal { position: absolute; bottom: 0; left: 0; right: 0; border-top: 1px solid #ccc; padding-top: 2mm; font-size: 8pt; color: #444; text-align: center; }
.to { margin: 28mm 0 8mm 95mm; line-height: 1.4; }
.place { text-align: right; margin: 0 0 4mm; }
.registered { font-weight: bold; text-transform: uppercase; font-size: 10pt; margin: 0 0 3mm; }
.subject { font-weight: bold; margin: 0 0 5mm; }
.signature { margin: 5mm 0 0 95mm; line-height: 1.4; min-height: 20mm; }
section.with-portal { padding-bottom: 24mm; }
.portal { position: absolute; bottom: 6mm; left: 0; right: 0; display: flex; gap: 4mm; align-items: center; font-size: 9pt; color: #333; }
.portal .url { font-family: monospace; font-size: 7.5pt; word-break: break-all; }
.body { line-height: 1.45; }
.body p { margin: 0 0 2.5mm; }
.body table { margin: 2mm 0 4mm; font-size: 9.5pt; }
.body td, .body th { padding: 3px 4px; }
h1 { font-size: 18pt; margin: 10mm 0 4mm; }
table { border-collapse: collapse; width: 100%; margin-top: 10mm; }
td, th { border-bottom: 1px solid #ccc; padding: 6px 4px; text-align: left; }
td.num, th.num { text-align: right; }
h2 { font-size: 12pt; margin: 8mm 0 0; }
table.schedule { margin-top: 3mm; font-size: 10pt; }
table.lines { margin-top: 8mm; font-size: 9.5pt; }
table.lines + table { margin-top: 4mm; }
tr.due td { color: #b91c1c; font-weight: bold; }
tr.paid td { color: #555; }
/* Low on the copy's right, clear of the address window, the amounts and the legal line, and inside the margins. */
.stamp { position: absolute; right: 4mm; bottom: 22mm; transform: rotate(-8deg); transform-origin: right bottom; border: 4px solid #b91c1c;
  color: #b91c1c; font-size: 28pt; font-weight: bold; padding: 3mm 6mm; letter-spacing: 2px; opacity: .8; white-space: nowrap; }
</style></head><body>
{{#if withLetter}}<section{{#if portal}} class="with-portal"{{/if}}>
<div class="head"><div><div class="company">{{company.name}}</div>{{#each companyLines}}<div class="small">{{this}}</div>{{/each}}</div></div>
<div class="to">{{#each address}}{{this}}<br>{{/each}}</div>
<div class="place">{{placeAndDate}}</div>
{{#if registered}}<div class="registered">{{labels.registered}}</div>{{/if}}
{{#if subject}}<div class="subject">{{labels.subject}} {{subject}}</div>{{/if}}
<div class="body">{{body}}</div>
{{#if portal}}<div class="portal">{{portal.qr}}<div><strong>{{portal.label}}</strong><br>{{portal.lead}}<br><span class="url">{{portal.url}}</span></div></div>{{/if}}
{{#if company.legalMentions}}<div class="legal">{{company.name}} · {{company.legalMentions}}</div>{{/if}}
</section>{{/if}}
{{#if withCopy}}<section>
<div class="head"><div><div class="company">{{company.name}}</div>{{#each companyLines}}<div class="small">{{this}}</div>{{/each}}</div></div>
<div class="to">{{#each address}}{{this}}<br>{{/each}}</div>
<h1>{{labels.copyOf}} {{invoice.number}}</h1>
<div>{{labels.issued}} {{invoice.issueDate}} · {{labels.due}} {{invoice.dueDate}}</div>
{{#if invoiceLines.length}}<table class="lines"><tr><th>{{labels.designation}}</th><th class="num">{{labels.quantity}}</th><th class="num">{{labels.unitPrice}}</th><th class="num">{{labels.vat}}</th><th class="num">{{labels.net}}</th></tr>
{{#each invoiceLines}}<tr><td>{{label}}</td><td class="num">{{quantity}}</td><td class="num">{{unitPrice}}</td><td class="num">{{vatRate}}</td><td class="num">{{net}}</td></tr>
{{/each}}</table>{{/if}}
<table>
{{#if invoiceNet}}<tr><th>{{labels.totalNet}}</th><td class="num">{{invoiceNet}}</td></tr>
{{#each invoiceVat}}<tr><th>{{../labels.vat}} {{rate}} {{../labels.vatOn}} {{base}}</th><td class="num">{{amount}}</td></tr>
{{/each}}{{/if}}<tr><th>{{labels.total}}</th><td class="num">{{invoice.total}}</td></tr>
{{#if amountToCome}}<tr><th>{{labels.balance}}</th><td class="num">{{invoice.balance}}</td></tr>
<tr><th>{{labels.claimed}}</th><td class="num"><strong>{{amountDue}}</strong></td></tr>
<tr><th>{{labels.toCome}}</th><td class="num">{{amountToCome}}</td></tr>
{{else}}<tr><th>{{labels.balance}}</th><td class="num"><strong>{{amountDue}}</strong></td></tr>{{/if}}
</table>
{{#if installments.length}}<h2>{{labels.schedule}}</h2>
<table class="schedule"><tr><th>{{labels.installment}}</th><th class="num">{{labels.amount}}</th><th class="num">{{labels.paid}}</th><th class="num">{{labels.open}}</th><th>{{labels.state}}</th></tr>
{{#each installments}}<tr class="{{state}}"><td>{{dueDate}}{{#if label}} · {{label}}{{/if}}</td><td class="num">{{amount}}</td><td class="num">{{paid}}</td><td class="num">{{open}}</td><td>{{stateName}}</td></tr>
{{/each}}</table>{{/if}}
<div class="stamp">{{stamp}}</div>
{{#if company.legalMentions}}<div class="legal">{{company.name}} · {{company.legalMentions}}</div>{{/if}}
</section>{{/if}}
</body></html>`;
