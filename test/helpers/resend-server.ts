import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ResendRequest {
  idempotencyKey: string | undefined;
  authorization: string | undefined;
  body: { from: string; to: string[] | string; subject: string; html: string };
  status: number;
}

/**
 * A local server that speaks Resend's `POST /emails` (the SDK is pointed at it with baseUrl):
 * bearer auth, Idempotency-Key replays, JSON errors shaped like Resend's. Failures can be scripted.
 */
export async function startResendServer(apiKey = 're_test_key') {
  const requests: ResendRequest[] = [];
  const delivered = new Map<string, { id: string; body: ResendRequest['body'] }>();
  const scripted: number[] = [];
  const rejected = new Set<string>();

  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const reply = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      const key = req.headers['idempotency-key'] as string | undefined;
      let body: ResendRequest['body'];
      try {
        body = JSON.parse(raw);
      } catch {
        return reply(400, { statusCode: 400, name: 'invalid_parameter', message: 'Invalid JSON' });
      }
      const record = (status: number) => requests.push({ idempotencyKey: key, authorization: req.headers.authorization, body, status });
      if (req.method !== 'POST' || req.url !== '/emails') {
        record(404);
        return reply(404, { statusCode: 404, name: 'not_found', message: 'Not found' });
      }
      if (req.headers.authorization !== `Bearer ${apiKey}`) {
        record(401);
        return reply(401, { statusCode: 401, name: 'missing_api_key', message: 'Missing API key' });
      }
      const forced = scripted.shift();
      if (forced === 429) {
        record(429);
        return reply(429, { statusCode: 429, name: 'rate_limit_exceeded', message: 'Too many requests' });
      }
      if (forced && forced >= 500) {
        record(forced);
        return reply(forced, { statusCode: forced, name: 'internal_server_error', message: 'Unexpected error' });
      }
      const to = Array.isArray(body.to) ? body.to : [body.to];
      if (to.some((t) => rejected.has(t))) {
        record(422);
        return reply(422, { statusCode: 422, name: 'validation_error', message: `Invalid \`to\` field: ${to.join(', ')}` });
      }
      const prior = key ? delivered.get(key) : undefined;
      if (prior) {
        record(200);
        return reply(200, { id: prior.id });
      }
      const id = randomUUID();
      if (key) delivered.set(key, { id, body });
      else delivered.set(id, { id, body });
      record(200);
      reply(200, { id });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    apiKey,
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    /** Messages actually delivered: one per idempotency key, as Resend does. */
    delivered,
    failNext(...statuses: number[]) {
      scripted.push(...statuses);
    },
    rejectRecipient(email: string) {
      rejected.add(email);
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
