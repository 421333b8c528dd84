import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';

export type Lang = 'fr' | 'en';

const fr = {
  appTitle: 'Relance',
  dashboard: 'Tableau de bord',
  login: 'Connexion',
  email: 'E-mail',
  password: 'Mot de passe',
  signIn: 'Se connecter',
  signOut: 'Se déconnecter',
  badCredentials: 'E-mail ou mot de passe incorrect.',
  amountOverdue: 'Montant échu',
  openInvoices: 'Factures ouvertes',
  overdueInvoices: 'Factures en retard',
  byLevel: 'Par niveau de relance',
  noReminderYet: 'Aucune relance',
  aging: 'Balance âgée',
  notDue: 'Non échu',
  days: 'jours',
  recentReminders: 'Dernières relances',
  failedSends: 'Envois en échec',
  invoice: 'Facture',
  customer: 'Client',
  level: 'Niveau',
  date: 'Date',
  reason: 'Motif',
  none: 'Rien à signaler.',
  invoicesCount: (n: number) => `${n} facture${n > 1 ? 's' : ''}`,
};

const en: typeof fr = {
  appTitle: 'Relance',
  dashboard: 'Dashboard',
  login: 'Sign in',
  email: 'E-mail',
  password: 'Password',
  signIn: 'Sign in',
  signOut: 'Sign out',
  badCredentials: 'Wrong e-mail or password.',
  amountOverdue: 'Amount overdue',
  openInvoices: 'Open invoices',
  overdueInvoices: 'Overdue invoices',
  byLevel: 'By reminder level',
  noReminderYet: 'No reminder yet',
  aging: 'Aging',
  notDue: 'Not due',
  days: 'days',
  recentReminders: 'Recent reminders',
  failedSends: 'Failed sends',
  invoice: 'Invoice',
  customer: 'Customer',
  level: 'Level',
  date: 'Date',
  reason: 'Reason',
  none: 'Nothing to report.',
  invoicesCount: (n: number) => `${n} invoice${n === 1 ? '' : 's'}`,
};

export type Messages = typeof fr;
export const LANG_COOKIE = 'relance_lang';

/** French by default; the language switch keeps the choice in a cookie. */
export function langOf(c: Context): Lang {
  return getCookie(c, LANG_COOKIE) === 'en' ? 'en' : 'fr';
}

export function messages(lang: Lang): Messages {
  return lang === 'en' ? en : fr;
}
