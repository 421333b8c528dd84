import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Config } from './config.js';

function options(t: Config['temporal'], fallbackAddress: string) {
  return { address: t.address ?? fallbackAddress, tls: t.tls ? {} : undefined, apiKey: t.apiKey };
}

/** The SDK connections to the configured cluster (Temporal Cloud: TLS and an API key), or to the local dev server. */
export function connectWorker(t: Config['temporal']): Promise<NativeConnection> {
  return NativeConnection.connect(options(t, `127.0.0.1:${t.devPort}`));
}

export function connectClient(t: Config['temporal']): Promise<Connection> {
  return Connection.connect(options(t, `127.0.0.1:${t.devPort}`));
}
