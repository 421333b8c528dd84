import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ResendEmail {
  from: string;
  to: string[] | string;
  subject: string;
  html: string;
  attachments?: { filename: string; content: string }[];
  tags?: { name: string; value: string }[];
}

export interface ResendRequest {
  path: string;
  idempotencyKey: string | undefined;
  authorization: string | undefined;
  body: ResendEmail | ResendEmail[];
  status: number;
}

/**
 * A local server that speaks Resend's `POST /emails` and `POST /emails/batch` (the SDK is pointed
 * at it with baseUrl): bearer auth, Idempotency-Key replays (a key reused with another payload is
 * refused, as Resend does), batches of at most 100 without attachments, all sent or none, JSON
 * errors shaped like Resend's. Failures and lost replies can be scripted.
 */
export async function startResendServer(apiKey = 're_test_key') {
  const requests: ResendRequest[] = [];
  /** Each e-mail sent, by its `relance_key` tag (else the request's key): what the recipients got. */
  const delivered = new Map<string, { id: string; body: ResendEmail }>();
  /** Keys of e-mails sent a second time: a recipient got the same reminder twice. */
  const resent: string[] = [];
  const replies = new Map<string, { raw: string; payload: unknown }>();
  const scripted: number[] = [];
  const rejected = new Set<string>();
  let repliesToLose = 0;

  const recipients = (email: ResendEmail) => (Array.isArray(email.to) ? email.to : [email.to]);
  const send = (email: ResendEmail, requestKey: string | undefined): string => {
    const id = randomUUID();
    const key = email.tags?.find((t) => t.name === 'relance_key')?.value ?? requestKey ?? id;
    if (delivered.has(key)) resent.push(key);
    delivered.set(key, { id, body: email });
    return id;
  };

  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const reply = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      const error = (status: number, name: string, message: string) => {
        record(status);
        reply(status, { statusCode: status, name, message });
      };
      const key = req.headers['idempotency-key'] as string | undefined;
      const path = req.url ?? '';
      let body: ResendRequest['body'];
      try {
        body = JSON.parse(raw);
      } catch {
        return reply(400, { statusCode: 400, name: 'invalid_parameter', message: 'Invalid JSON' });
      }
      const record = (status: number) => requests.push({ path, idempotencyKey: key, authorization: req.headers.authorization, body, status });
      const batch = path === '/emails/batch';
      if (req.method !== 'POST' || (path !== '/emails' && !batch)) return error(404, 'not_found', 'Not found');
      if (req.headers.authorization !== `Bearer ${apiKey}`) return error(401, 'missing_api_key', 'Missing API key');
      const forced = scripted.shift();
      if (forced === 429) return error(429, 'rate_limit_exceeded', 'Too many requests');
      if (forced && forced >= 500) return error(forced, 'internal_server_error', 'Unexpected error');

      const replayKey = key && `${path} ${key}`;
      const prior = replayKey ? replies.get(replayKey) : undefined;
      if (prior && prior.raw !== raw) return error(409, 'invalid_idempotent_request', 'Same idempotency key used with a different request payload');
      let payload = prior?.payload;
      if (!payload) {
        const emails = batch ? (body as ResendEmail[]) : [body as ResendEmail];
        if (batch && (!Array.isArray(body) || emails.length === 0 || emails.length > 100)) return error(422, 'validation_error', 'A batch holds 1 to 100 emails');
        const withAttachments = batch ? emails.findIndex((e) => e.attachments) : -1;
        if (withAttachments >= 0) return error(422, 'validation_error', `emails[${withAttachments}]: attachments are not supported in batch sending`);
        const refused = emails.findIndex((e) => recipients(e).some((t) => rejected.has(t)));
        if (refused >= 0) return error(422, 'validation_error', `${batch ? `emails[${refused}]: ` : ''}Invalid \`to\` field: ${recipients(emails[refused]!).join(', ')}`);
        const ids = emails.map((e) => send(e, key));
        payload = batch ? { data: ids.map((id) => ({ id })) } : { id: ids[0] };
        if (replayKey) replies.set(replayKey, { raw, payload });
      }
      record(200);
      if (repliesToLose > 0) {
        repliesToLose--;
        return void req.socket.destroy();
      }
      reply(200, payload);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    apiKey,
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    delivered,
    resent,
    failNext(...statuses: number[]) {
      scripted.push(...statuses);
    },
    /** The next requests are carried out, then their connection drops before the answer. */
    loseNextReplies(count: number) {
      repliesToLose += count;
    },
    rejectRecipient(email: string) {
      rejected.add(email);
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
