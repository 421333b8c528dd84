import type { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { searchAttributeDefinitions } from '../../workflows/search-attributes.js';

const { IndexedValueType } = proto.temporal.api.enums.v1;

const INDEXED: Record<string, proto.temporal.api.enums.v1.IndexedValueType> = {
  Keyword: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  Int: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  Datetime: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
};

const ALREADY_EXISTS = 6;

/** Registers Relance's custom search attributes on a namespace; registering twice is harmless. */
export async function registerSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  for (const [name, type] of Object.entries(searchAttributeDefinitions)) {
    try {
      await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: { [name]: INDEXED[type]! } });
    } catch (err) {
      if ((err as { code?: number }).code !== ALREADY_EXISTS) throw err;
    }
  }
}
