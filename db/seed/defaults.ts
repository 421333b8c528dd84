import { randomBytes } from 'node:crypto';
import type { Sql } from '../client.js';
import { DEFAULT_SPECIAL_TEMPLATES, DEFAULT_STEPS } from './default-templates.js';

/**
 * Creates the default policy with its four steps and their templates (e-mail and letter, French
 * and English), once, on an empty database;
 * and the special templates a database does not have yet (an upgraded one gets them too).
 */
export async function ensureDefaultPolicy(sql: Sql): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(7356002)`;
    await tx`update settings set pay_link_secret = coalesce(pay_link_secret, ${randomBytes(32).toString('base64url')}),
      device_cookie_secret = coalesce(device_cookie_secret, ${randomBytes(32).toString('base64url')}) where id = 1`;
    for (const [purpose, texts] of Object.entries(DEFAULT_SPECIAL_TEMPLATES)) {
      for (const [language, t] of Object.entries(texts)) {
        for (const channel of ['email', 'letter'] as const) {
          await tx`insert into templates (purpose, channel, language, subject, body) values (${purpose}, ${channel}, ${language}, ${t.subject}, ${t.body})
            on conflict (purpose, channel, language) where step_id is null do nothing`;
        }
      }
    }
    // A default step's letter still worded as its e-mail (copied before letters had their own
    // wording) gets the letter's: nobody has written it yet.
    for (const step of DEFAULT_STEPS) {
      for (const language of ['fr', 'en'] as const) {
        const letter = step.letter[language];
        await tx`update templates l set subject = ${letter.subject}, body = ${letter.body}, updated_at = now()
          from templates e join follow_up_steps s on s.id = e.step_id
          where l.channel = 'letter' and l.language = ${language} and l.step_id = e.step_id
            and e.channel = 'email' and e.language = ${language} and s.name = ${step.name}
            and l.subject = e.subject and l.body = e.body`;
      }
    }
    const [existing] = await tx`select 1 from policies limit 1`;
    if (existing) return;
    const [policy] = await tx<{ id: number }[]>`
      insert into policies (name, is_default) values ('Standard B2B', true) returning id`;
    for (const [i, step] of DEFAULT_STEPS.entries()) {
      const [row] = await tx<{ id: number }[]>`
        insert into follow_up_steps (policy_id, position, name, colour, delay_days, channel, fee_cents, is_final)
        values (${policy!.id}, ${i + 1}, ${step.name}, ${step.colour}, ${step.delayDays}, 'email', ${step.feeCents}, ${step.isFinal})
        returning id`;
      for (const language of ['fr', 'en'] as const) {
        for (const channel of ['email', 'letter'] as const) {
          const t = step[channel][language];
          await tx`insert into templates (step_id, channel, language, subject, body)
                   values (${row!.id}, ${channel}, ${language}, ${t.subject}, ${t.body})`;
        }
      }
    }
  });
}
