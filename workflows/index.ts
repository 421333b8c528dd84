export { invoiceDunning } from './invoice-dunning.js';
export { bulkRun } from './bulk-run.js';
export { sepaRun } from './sepa-run.js';
export { lateChargeNote } from './late-charge-note.js';
export { customerStatement } from './customer-statement.js';
export { dailyReviewPass } from './daily-review-pass.js';
export { dunningRepairPass } from './dunning-repair-pass.js';
export { collectionSnapshot } from './collection-snapshot.js';
