import { Hono } from 'hono';
import { adminOnly } from './admin-only.js';
import type { AdminEnv } from './env.js';
import type { WebDeps } from '../deps.js';
import { auditPage } from './audit-page.js';
import {
  addStepAction, createPolicyAction, deletePolicyAction, deleteStepAction, makeDefaultPolicyAction, moveStepAction, policiesPage, policyPage, renamePolicyAction,
  updateStepAction,
} from './policies-page.js';
import { addPaymentTermsAction, deletePaymentTermsAction, paymentTermsPage } from './payment-terms-page.js';
import { savePolicyChargesAction, savePolicySendingAction, saveReferenceRateAction } from './policy-options.js';
import { saveSepaSettings, saveSettings, settingsPage } from './settings-page.js';
import { saveStripeSettings, testStripeConnection } from './stripe-settings.js';
import { saveTemplateAction, TEMPLATE_TARGET, templatePage, type EditorDeps } from './template-editor.js';
import { addUser, changeRoleAction, deleteUserAction, resetUserPassword, usersPage } from './users-page.js';

/** Configuration, for administrators only; every change is written to the audit log. */
export function settingsRoutes(deps: WebDeps, editor: EditorDeps) {
  return new Hono<AdminEnv>()
    .use('*', adminOnly)
    .get('/', (c) => settingsPage(c, deps))
    .post('/', (c) => saveSettings(c, deps))
    .post('/sepa', (c) => saveSepaSettings(c, deps))
    .post('/stripe', async (c) => settingsPage(c, deps, await saveStripeSettings(c, deps)))
    .post('/stripe/test', (c) => testStripeConnection(c, deps))
    .get('/users', (c) => usersPage(c, deps))
    .post('/users', (c) => addUser(c, deps))
    .post('/users/:id{[0-9]{1,15}}/role', changeRoleAction(deps))
    .post('/users/:id{[0-9]{1,15}}/delete', deleteUserAction(deps))
    .post('/users/:id{[0-9]{1,15}}/password', (c) => resetUserPassword(c, deps))
    .get('/audit', (c) => auditPage(c, deps))
    .get('/payment-terms', (c) => paymentTermsPage(c, deps))
    .post('/payment-terms', (c) => addPaymentTermsAction(c, deps))
    .post('/payment-terms/:id{[0-9]{1,15}}/delete', (c) => deletePaymentTermsAction(c, deps))
    .get('/policies', (c) => policiesPage(c, deps))
    .post('/policies', (c) => createPolicyAction(c, deps))
    .get('/policies/:id{[0-9]{1,15}}', (c) => policyPage(c, deps))
    .post('/policies/:id{[0-9]{1,15}}/default', (c) => makeDefaultPolicyAction(c, deps))
    .post('/policies/:id{[0-9]{1,15}}/delete', (c) => deletePolicyAction(c, deps))
    .post('/policies/:id{[0-9]{1,15}}/rename', (c) => renamePolicyAction(c, deps))
    .post('/policies/:id{[0-9]{1,15}}/steps', (c) => addStepAction(c, deps))
    .post('/policies/:id{[0-9]{1,15}}/charges', async (c) => policyPage(c, deps, await savePolicyChargesAction(c, deps)))
    .post('/policies/:id{[0-9]{1,15}}/sending', async (c) => policyPage(c, deps, await savePolicySendingAction(c, deps)))
    .post('/reference-rates', async (c) => policiesPage(c, deps, await saveReferenceRateAction(c, deps)))
    .post('/steps/:id{[0-9]{1,15}}', updateStepAction(deps))
    .post('/steps/:id{[0-9]{1,15}}/up', moveStepAction(deps, -1))
    .post('/steps/:id{[0-9]{1,15}}/down', moveStepAction(deps, 1))
    .post('/steps/:id{[0-9]{1,15}}/delete', deleteStepAction(deps))
    .get(`/templates/:target${TEMPLATE_TARGET}/:channel/:lang`, (c) => templatePage(c, editor, 'shared'))
    .post(`/templates/:target${TEMPLATE_TARGET}/:channel/:lang`, (c) => saveTemplateAction(c, editor, 'shared'));
}
