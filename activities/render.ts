import Handlebars from 'handlebars';
import type { MergeFields } from './merge-fields.js';

// A private instance: no helper or partial registered elsewhere can leak into reminders.
const hb = Handlebars.create();

const compiled = new Map<string, HandlebarsTemplateDelegate>();

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
  return { subject, html: compile(EMAIL_LAYOUT, true)({ ...fields, footer, body: new hb.SafeString(body) }) };
}

const EMAIL_LAYOUT = `<!doctype html>
<html><head><meta charset="utf-8"><title>{{invoice.number}}</title></head>
<body style="margin:0;padding:24px;background:#f4f5f7;font-family:Helvetica,Arial,sans-serif;color:#1f2937">
<table role="presentation" width="100%" style="max-width:640px;margin:0 auto;background:#ffffff;border-radius:6px">
<tr><td style="padding:20px 28px;border-bottom:3px solid #1e3a8a;font-size:18px;font-weight:bold">{{company.name}}</td></tr>
<tr><td style="padding:24px 28px;font-size:14px;line-height:1.55">{{body}}</td></tr>
<tr><td style="padding:16px 28px;border-top:1px solid #e5e7eb;font-size:12px;color:#6b7280">{{footer}}</td></tr>
</table></body></html>`;
