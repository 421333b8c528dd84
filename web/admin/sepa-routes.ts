import { Hono } from 'hono';
import type { WebDeps } from '../deps.js';
import type { AdminEnv } from './env.js';
import { cancelSepaRunAction, sepaCollectedAction, sepaFile, sepaPage, sepaPreview, sepaRejectAction, sepaRunPage, sepaSelection, startSepaRun } from './sepa-page.js';

/** SEPA direct-debit runs: previewed, started, followed, cancelled, and their outcome recorded. */
export function sepaRoutes(deps: WebDeps) {
  return new Hono<AdminEnv>()
    .get('/', (c) => sepaPage(c, deps))
    .get('/preview', (c) => sepaPreview(c, deps))
    .get('/selection', (c) => sepaSelection(c, deps))
    .post('/', (c) => startSepaRun(c, deps))
    .get('/:id{[0-9]{1,15}}', (c) => sepaRunPage(c, deps))
    .get('/:id{[0-9]{1,15}}/file.zip', (c) => sepaFile(c, deps))
    .post('/:id{[0-9]{1,15}}/collected', (c) => sepaCollectedAction(c, deps))
    .post('/:id{[0-9]{1,15}}/reject', (c) => sepaRejectAction(c, deps))
    .post('/:id{[0-9]{1,15}}/cancel', (c) => cancelSepaRunAction(c, deps));
}
