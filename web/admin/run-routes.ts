import { Hono } from 'hono';
import type { WebDeps } from '../deps.js';
import type { AdminEnv } from './env.js';
import { markRunLettersPrinted, printRunLettersPdf, printRunLettersZip, runLettersPdf, runLettersZip } from './letter-downloads.js';
import { cancelRun, runPage, runProgress, runsPage, startRun } from './runs-page.js';

/** Bulk runs: started from the mass follow-up, followed, cancelled, and their letters printed. */
export function runRoutes(deps: WebDeps) {
  return new Hono<AdminEnv>()
    .get('/', (c) => runsPage(c, deps))
    .post('/', (c) => startRun(c, deps))
    .get('/:id{[0-9]{1,15}}', (c) => runPage(c, deps))
    .get('/:id{[0-9]{1,15}}/progress', (c) => runProgress(c, deps))
    .post('/:id{[0-9]{1,15}}/cancel', (c) => cancelRun(c, deps))
    .get('/:id{[0-9]{1,15}}/letters.pdf', (c) => runLettersPdf(c, deps))
    .get('/:id{[0-9]{1,15}}/letters.zip', (c) => runLettersZip(c, deps))
    .post('/:id{[0-9]{1,15}}/letters.pdf', (c) => printRunLettersPdf(c, deps))
    .post('/:id{[0-9]{1,15}}/letters.zip', (c) => printRunLettersZip(c, deps))
    .post('/:id{[0-9]{1,15}}/letters/printed', (c) => markRunLettersPrinted(c, deps));
}
