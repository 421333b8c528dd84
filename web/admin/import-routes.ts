import { Hono } from 'hono';
import type { AdminDeps, AdminEnv } from './env.js';
import { applyImportAction, cancelImportAction, importPage, importProgress, importRecordPage, uploadFacturX, uploadImport } from './import-page.js';

/** CSV imports and Factur-X batches: checked, previewed, applied, and the workflow starts they cause followed or stopped. */
export function importRoutes(deps: AdminDeps) {
  return new Hono<AdminEnv>()
    .get('/', (c) => importPage(c, deps))
    .post('/', (c) => uploadImport(c, deps))
    .post('/factur-x', (c) => uploadFacturX(c, deps))
    .get('/:id{[0-9]{1,15}}', (c) => importRecordPage(c, deps))
    .get('/:id{[0-9]{1,15}}/progress', (c) => importProgress(c, deps))
    .post('/:id{[0-9]{1,15}}/apply', (c) => applyImportAction(c, deps))
    .post('/:id{[0-9]{1,15}}/cancel', (c) => cancelImportAction(c, deps));
}
