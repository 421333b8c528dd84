import { Hono } from 'hono';
import type { AdminDeps, AdminEnv } from './env.js';
import { applyImportAction, cancelImportAction, importPage, importProgress, importRecordPage, uploadImport } from './import-page.js';

/** CSV imports: checked, previewed, applied, and the workflow starts they cause followed or stopped. */
export function importRoutes(deps: AdminDeps) {
  return new Hono<AdminEnv>()
    .get('/', (c) => importPage(c, deps))
    .post('/', (c) => uploadImport(c, deps))
    .get('/:id{[0-9]{1,15}}', (c) => importRecordPage(c, deps))
    .get('/:id{[0-9]{1,15}}/progress', (c) => importProgress(c, deps))
    .post('/:id{[0-9]{1,15}}/apply', (c) => applyImportAction(c, deps))
    .post('/:id{[0-9]{1,15}}/cancel', (c) => cancelImportAction(c, deps));
}
