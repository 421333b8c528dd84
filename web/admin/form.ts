import { z } from 'zod';
import type { Context } from 'hono';
import { langOf, messages, type Lang } from '../i18n.js';
import { fieldLabel, validationText } from '../validation-texts.js';

export type FormResult<T> = { ok: true; value: T } | { ok: false; message: string };

/** Validates a submitted form; a refusal names every bad field, in the reader's language, so nothing is half-written. */
export function parseForm<S extends z.ZodType>(schema: S, form: Record<string, unknown>, lang: Lang): FormResult<z.infer<S>> {
  const parsed = schema.safeParse(form);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, message: parsed.error.issues.map((i) => fieldProblem(i.path.join('.') || 'form', i.message, lang)).join(' · ') };
}

/** "Motif : obligatoire": a field by its label and what is wrong with it, in the reader's language. */
function fieldProblem(field: string, message: string, lang: Lang): string {
  return `${fieldLabel(field, lang)}${lang === 'fr' ? ' : ' : ': '}${validationText(message, lang)}`;
}

/** "Refusé: Motif : obligatoire": a refusal naming the field by its label, in the reader's language. */
export function refusal(c: Context, field: string, text: string): string {
  const lang = langOf(c);
  return `${messages(lang).refused}: ${fieldProblem(field, text, lang)}`;
}

/** "1 250,50" or "1250.5" as cents; undefined when it is not an amount. */
export function centsOf(text: string): number | undefined {
  const clean = text.replace(/[\s\u202f\u00a0]/g, '').replace(',', '.');
  if (!/^\d{1,12}(\.\d{1,2})?$/.test(clean)) return undefined;
  return Math.round(Number(clean) * 100);
}

/** A text finance types as a reason (a pause, a dispute, its resolution): required, 500 characters at most. */
export const reasonText = z.string().trim().min(1, 'required').max(500, 'at most 500 characters');

/** What a pause posts, for an invoice or a whole customer. */
export const pauseForm = z.object({ reason: reasonText });
