import { Hono } from 'hono';
import type { WebDeps } from '../deps.js';
import { langOf, messages } from '../i18n.js';
import { accountPage, changeOwnPassword } from './account-page.js';
import type { AdminEnv } from './env.js';
import { lateChargeNoteFile } from './invoice-charges.js';
import { documentDownload, markDocumentPrinted, printDocument } from './letter-downloads.js';
import { dropOwnTemplate, previewAction, saveTemplateAction, servePreview, TEMPLATE_TARGET, templatePage, type EditorDeps } from './template-editor.js';
import { myTemplatesPage } from './my-templates-page.js';
import { outboxMessageHtml, outboxPage } from './outbox-page.js';
import { reminderLogCsv, reminderLogPage } from './reminder-log-page.js';
import { analyticsCsv, analyticsPage } from './analytics-page.js';
import { approveReviewAction, holdReviewItemAction, reviewPage } from './review-page.js';

const DAY = '{[0-9]{4}-[0-9]{2}-[0-9]{2}}';
const ID = '{[0-9]{1,15}}';

/** The signed-in user's own account and password. */
export const accountRoutes = (deps: WebDeps) =>
  new Hono<AdminEnv>()
    .get('/', (c) => accountPage(c, c.req.query('changed') ? { ok: true, text: messages(langOf(c)).passwordChanged } : undefined))
    .post('/password', (c) => changeOwnPassword(c, deps));

/** The day's review pass: approved as a whole, or held invoice by invoice. */
export const reviewRoutes = (deps: WebDeps) =>
  new Hono<AdminEnv>()
    .get('/', (c) => reviewPage(c, deps))
    .post(`/:date${DAY}/approve`, (c) => approveReviewAction(c, deps))
    .post(`/:date${DAY}/hold`, (c) => holdReviewItemAction(c, deps));

/** Letters and late-charge notes: downloaded, printed, marked as posted. */
export const documentRoutes = (deps: WebDeps) =>
  new Hono<AdminEnv>()
    .get(`/documents/:id${ID}`, (c) => documentDownload(c, deps))
    .post(`/documents/:id${ID}`, (c) => printDocument(c, deps))
    .post(`/documents/:id${ID}/printed`, (c) => markDocumentPrinted(c, deps))
    .get(`/late-charge-notes/:id${ID}`, (c) => lateChargeNoteFile(c, deps));

/** What was sent: the outbox of e-mails, the reminder log, and what it brought in (analytics). */
export const sentRoutes = (deps: WebDeps) =>
  new Hono<AdminEnv>()
    .get('/outbox', (c) => outboxPage(c, deps))
    .get(`/outbox/:id${ID}/html`, (c) => outboxMessageHtml(c, deps))
    .get('/reminders', (c) => reminderLogPage(c, deps))
    .get('/reminders.csv', (c) => reminderLogCsv(c, deps))
    .get('/analytics', (c) => analyticsPage(c, deps))
    .get('/analytics/:file{(months|reminders|customers)\\.csv}', (c) => analyticsCsv(c, deps));

/** A user's own templates, and the previews every template editor renders. */
export const templateRoutes = (editor: EditorDeps) =>
  new Hono<AdminEnv>()
    .post(`/templates/preview/:target${TEMPLATE_TARGET}/:channel/:lang`, (c) => previewAction(c, editor))
    .get('/templates/preview/:key', (c) => servePreview(c, editor.previews))
    .get('/my-templates', (c) => myTemplatesPage(c, editor))
    .get(`/my-templates/:target${TEMPLATE_TARGET}/:channel/:lang`, (c) => templatePage(c, editor, 'mine'))
    .post(`/my-templates/:target${TEMPLATE_TARGET}/:channel/:lang`, (c) => saveTemplateAction(c, editor, 'mine'))
    .post(`/my-templates/:target${TEMPLATE_TARGET}/:channel/:lang/delete`, (c) => dropOwnTemplate(c, editor));
