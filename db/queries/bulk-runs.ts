import type { ISql, Sql } from '../client.js';

export type RunChannel = 'step' | 'email' | 'letter';
export type ItemOutcome = 'sent' | 'prepared' | 'failed' | 'skipped' | 'refused' | 'cancelled';

export interface BulkRun {
  id: number;
  createdBy: string | null;
  createdById: number | null;
  createdAt: Date;
  forcedLevel: number | null;
  /** With no forced level: each invoice's next level now, even if it is not yet due. */
  sendEarly: boolean;
  channel: RunChannel;
  attachPdf: boolean;
  finishedAt: Date | null;
  /** Cancelled by a user or an operator: the invoices not yet asked were left alone. */
  cancelledAt: Date | null;
  lettersDownloadedAt: Date | null;
  total: number;
  /** Invoices asked, whatever their answer (not those a cancel left alone). */
  done: number;
  failed: number;
  letters: number;
}

export interface RunItem {
  invoiceId: number;
  position: number;
  /** Chosen for this invoice in the mass follow-up; null keeps the run's channel. */
  channel?: 'email' | 'letter' | null;
}

/** Creates a run and its items in one statement; the invoices keep the order they were selected in. */
export async function createBulkRun(
  sql: Sql,
  r: {
    userId: number; forcedLevel: number | null; sendEarly?: boolean; channel: RunChannel; attachPdf: boolean; invoiceIds: number[]; runKey?: string;
    /** The channel chosen for some invoices, by invoice id; the others follow the run's. */
    channels?: ReadonlyMap<number, 'email' | 'letter'>;
  },
): Promise<number> {
  return sql.begin(async (tx) => {
    const [run] = await tx<{ id: number }[]>`
      insert into bulk_runs (created_by, forced_level, send_early, channel, attach_pdf, run_key)
      values (${r.userId}, ${r.forcedLevel}, ${r.sendEarly ?? false}, ${r.channel}, ${r.attachPdf}, ${r.runKey ?? null})
      on conflict (run_key) do nothing returning id`;
    // The same form posted again: the run it made the first time.
    if (!run) return (await tx<[{ id: number }]>`select id from bulk_runs where run_key = ${r.runKey!}`)[0].id;
    const channels = r.invoiceIds.map((id) => r.channels?.get(id) ?? null);
    await tx`insert into bulk_run_items (run_id, invoice_id, position, channel)
      select ${run!.id}, id, position, channel from unnest(${r.invoiceIds}::bigint[], ${channels}::text[]) with ordinality as t(id, channel, position)
      where id in (select id from invoices)`;
    return run!.id;
  });
}

/** Runs with their progress counted from their items, newest first. */
function runsWithProgress(sql: ISql, where: ReturnType<Sql>, limit: number) {
  return sql<BulkRun[]>`
    select r.id, u.name as "createdBy", r.created_by as "createdById", r.created_at as "createdAt", r.forced_level as "forcedLevel", r.send_early as "sendEarly", r.channel, r.attach_pdf as "attachPdf",
           r.finished_at as "finishedAt", r.cancelled_at as "cancelledAt", r.letters_downloaded_at as "lettersDownloadedAt",
           count(i.*)::int as total, count(i.outcome) filter (where i.outcome <> 'cancelled')::int as done,
           count(*) filter (where i.outcome in ('failed', 'refused'))::int as failed,
           (select count(*)::int from documents d join bulk_run_items x on x.reminder_id = d.reminder_id where x.run_id = r.id) as letters
    from bulk_runs r left join users u on u.id = r.created_by left join bulk_run_items i on i.run_id = r.id
    where ${where} group by r.id, u.name order by r.id desc limit ${limit}`;
}

/** Runs not finished: their workflow runs, or was never started. */
export async function unfinishedBulkRunIds(sql: ISql): Promise<number[]> {
  return (await sql<{ id: number }[]>`select id from bulk_runs where finished_at is null order by id`).map((r) => r.id);
}

export async function bulkRunById(sql: ISql, id: number): Promise<BulkRun | undefined> {
  const [row] = await runsWithProgress(sql, sql`r.id = ${id}`, 1);
  return row;
}

export async function recentBulkRuns(sql: ISql, limit = 20): Promise<BulkRun[]> {
  return runsWithProgress(sql, sql`true`, limit);
}

export async function runItemsFrom(sql: ISql, runId: number, fromPosition: number, limit: number): Promise<RunItem[]> {
  return sql<RunItem[]>`
    select invoice_id as "invoiceId", position from bulk_run_items
    where run_id = ${runId} and position > ${fromPosition} order by position limit ${limit}`;
}

/** The items of a slice of positions, with whether each has its answer already. */
export async function runSlice(sql: ISql, runId: number, after: number, upTo: number): Promise<(RunItem & { answered: boolean })[]> {
  return sql<(RunItem & { answered: boolean })[]>`
    select invoice_id as "invoiceId", position, channel, outcome is not null as answered from bulk_run_items
    where run_id = ${runId} and position > ${after} and position <= ${upTo} order by position`;
}

export async function lastRunPosition(sql: ISql, runId: number): Promise<number> {
  const [row] = await sql<[{ last: number }]>`select coalesce(max(position), 0)::int as last from bulk_run_items where run_id = ${runId}`;
  return row.last;
}

export interface ItemAnswer {
  invoiceId: number;
  outcome: ItemOutcome;
  level: number | null;
  reason: string | null;
  reminderId: number | null;
}

/** The answers of some of a run's invoices, in one statement. */
export async function recordItemOutcomes(sql: ISql, runId: number, answers: readonly ItemAnswer[]): Promise<void> {
  await sql`update bulk_run_items b set outcome = a.outcome, level = a.level, reason = a.reason, reminder_id = a.reminder_id
    from unnest(${answers.map((a) => a.invoiceId)}::bigint[], ${answers.map((a) => a.outcome)}::text[], ${answers.map((a) => a.level)}::smallint[],
                ${answers.map((a) => a.reason)}::text[], ${answers.map((a) => a.reminderId)}::bigint[]) as a(invoice_id, outcome, level, reason, reminder_id)
    where b.run_id = ${runId} and b.invoice_id = a.invoice_id`;
}

/** Ends a run; invoices left unasked can only be a cancel's (asked for on the run's page), and say so. */
export async function finishBulkRun(sql: Sql, runId: number): Promise<void> {
  await sql.begin(async (tx) => {
    const [run] = await tx<{ cancelRequested: boolean }[]>`select cancel_requested_at is not null as "cancelRequested" from bulk_runs where id = ${runId}`;
    if (run?.cancelRequested) return cancelBulkRun(tx, runId);
    await tx`update bulk_runs set finished_at = coalesce(finished_at, now()) where id = ${runId}`;
  });
}

/** A user asked to cancel the run: the asks under way see it before their next invoice. */
export async function requestBulkRunCancel(sql: ISql, runId: number): Promise<void> {
  await sql`update bulk_runs set cancel_requested_at = coalesce(cancel_requested_at, now()) where id = ${runId} and finished_at is null`;
}

export async function bulkRunCancelRequested(sql: ISql, runId: number): Promise<boolean> {
  const [row] = await sql<{ requested: boolean }[]>`select cancel_requested_at is not null as requested from bulk_runs where id = ${runId}`;
  return row?.requested ?? false;
}

/** Ends a cancelled run: the invoices not yet asked say so; the others keep their answer. */
export async function cancelBulkRun(sql: ISql, runId: number): Promise<void> {
  await sql`update bulk_runs set cancel_requested_at = coalesce(cancel_requested_at, now()) where id = ${runId}`;
  await sql`update bulk_run_items set outcome = 'cancelled', reason = 'the run was cancelled before this invoice was asked' where run_id = ${runId} and outcome is null`;
  await sql`update bulk_runs set cancelled_at = coalesce(cancelled_at, now()), finished_at = coalesce(finished_at, now()) where id = ${runId}`;
}

export async function noteLettersDownloaded(sql: ISql, runId: number): Promise<void> {
  await sql`update bulk_runs set letters_downloaded_at = coalesce(letters_downloaded_at, now()) where id = ${runId}`;
}

export interface RunItemLine {
  invoiceNumber: string;
  customerName: string;
  outcome: Exclude<ItemOutcome, 'sent' | 'prepared'>;
  level: number | null;
  reason: string | null;
}

/** What did not go as asked: failures, refusals and skips, with their reasons. */
export async function runProblems(sql: ISql, runId: number): Promise<RunItemLine[]> {
  return sql<RunItemLine[]>`
    select i.number as "invoiceNumber", c.name as "customerName", b.outcome, b.level, b.reason
    from bulk_run_items b join invoices i on i.id = b.invoice_id join customers c on c.id = i.customer_id
    where b.run_id = ${runId} and b.outcome in ('failed', 'refused', 'skipped', 'cancelled') order by b.position`;
}
