// Registers Relance's search attributes on the configured Temporal namespace; running it again
// changes nothing. Used by `npm start` (through the dev server), the compose file and the cluster drill.
import { registerSearchAttributes } from '../services/temporal/search-attributes-admin.js';
import { searchAttributeDefinitions } from '../workflows/search-attributes.js';
import { loadConfig } from '../platform/config.js';
import { connectClient } from '../platform/temporal-connection.js';

const config = loadConfig();
const connection = await connectClient(config.temporal);
try {
  await registerSearchAttributes(connection, config.temporal.namespace);
  console.log(`search attributes on ${config.temporal.namespace}: ${Object.entries(searchAttributeDefinitions).map(([name, type]) => `${name} (${type})`).join(', ')}`);
} finally {
  await connection.close();
}
