import { defineSearchAttributeKey } from '@temporalio/common';

// Stored in clear by Temporal: ids and states only, never names or e-mail addresses.
export const invoiceNumberKey = defineSearchAttributeKey('InvoiceNumber', 'KEYWORD');
export const customerIdKey = defineSearchAttributeKey('CustomerId', 'KEYWORD');
export const dunningLevelKey = defineSearchAttributeKey('DunningLevel', 'INT');
export const nextStepAtKey = defineSearchAttributeKey('NextStepAt', 'DATETIME');
export const dunningStatusKey = defineSearchAttributeKey('DunningStatus', 'KEYWORD');
export const bulkRunIdKey = defineSearchAttributeKey('BulkRunId', 'INT');
export const runProgressKey = defineSearchAttributeKey('RunItemsDone', 'INT');

/** `temporal server start-dev --search-attribute` arguments for the keys above. */
export const searchAttributeDefinitions: Record<string, 'Keyword' | 'Int' | 'Datetime'> = {
  InvoiceNumber: 'Keyword',
  CustomerId: 'Keyword',
  DunningLevel: 'Int',
  NextStepAt: 'Datetime',
  DunningStatus: 'Keyword',
  BulkRunId: 'Int',
  RunItemsDone: 'Int',
};
