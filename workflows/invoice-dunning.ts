import {
  allHandlersFinished,
  CancellationScope,
  condition,
  isCancellation,
  continueAsNew,
  proxyActivities,
  proxyLocalActivities,
  patched,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../activities/index.js';
import type { PerformReminderInput } from '../activities/reminders.js';
import { emailTaskQueue } from './ids.js';
import {
  invoiceChangedSignal,
  pauseUpdate,
  paymentRecordedSignal,
  resumeUpdate,
  sendNowUpdate,
  stateQuery,
  statementOutcomeSignal,
  stepsChangedSignal,
  type DunningState,
  type DunningStatus,
  type ReminderOutcome,
  type SendNowRequest,
} from './messages.js';
import { dunningLevelKey, dunningStatusKey, nextStepAtKey } from './search-attributes.js';
import { addDays } from './schedule/calendar-date.js';
import { nextAction, type DunningFacts, type NextAction } from './schedule/next-action.js';
import { askedReminder } from './asked-reminder.js';
import { instantAt } from './schedule/zoned-time.js';
import { NON_RETRYABLE } from './errors.js';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { SEND_RETRY } from './retry-policies.js';

// Reading the invoice is short and idempotent: a local activity runs it inside the worker and
// records one marker, instead of the server round trips of a regular activity on every wake-up.
const localReads = proxyLocalActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes: Object.values(NON_RETRYABLE) },
});

// A send takes well under a second; a worker that died mid-send is detected after this timeout,
// and the retry finds the claimed (invoice, level) row, so nothing goes out twice.
const activityOptions = {
  startToCloseTimeout: '20 seconds',
  retry: SEND_RETRY,
} as const;
const activities = proxyActivities<ReturnType<typeof createActivities>>(activityOptions);
const localActivities = proxyLocalActivities<ReturnType<typeof createActivities>>(activityOptions);

export interface InvoiceDunningInput {
  invoiceId: number;
  /**
   * The version of this code the run was started by (absent in runs started before there was one).
   * A run of this version or later takes every path patched in before it without asking `patched`,
   * so it records no patch markers: each one is a history event and a search-attribute write the
   * engine pays on every invoice.
   */
  codeVersion?: number;
  /** Carried over continue-as-new: an undeliverable level waits for a change before it is tried again. */
  blockedReason?: string | null;
}

export interface InvoiceDunningResult {
  status: DunningStatus;
  level: number;
}

/** The version new runs start at: every path patched in up to version 1 is theirs without a marker. */
export const INVOICE_DUNNING_CODE_VERSION = 1;

// Each loop turn is a handful of events; continuing well before the history limit keeps replays cheap.
const TURNS_BEFORE_CONTINUE = 100;

/**
 * One invoice's dunning, from its due date until it is paid, cancelled or the final step is done.
 * The database is the record of what was sent: every turn reloads it, so a restart, a replay or a
 * continue-as-new never loses or repeats a level.
 */
export async function invoiceDunning(input: InvoiceDunningInput): Promise<InvoiceDunningResult> {
  const { invoiceId } = input;
  const startedAtVersion1 = (input.codeVersion ?? 0) >= 1;
  /**
   * Whether the run takes a patched path. A run started before the code version asks `patched`,
   * which keeps its recorded path. A run started at it takes the path without a marker, but still
   * asks while replaying: an older worker, given such a run during a deploy, wrote the markers,
   * and a replay must meet each of them.
   */
  const uses = (patchId: string): boolean => {
    if (!startedAtVersion1) return patched(patchId);
    if (workflowInfo().unsafe.isReplaying) patched(patchId);
    return true;
  };
  // Reminders go out through their own task queue, whose rate limit is the provider's ceiling for every worker.
  const emailQueueActivities = proxyActivities<ReturnType<typeof createActivities>>({ ...activityOptions, taskQueue: emailTaskQueue(workflowInfo().taskQueue) });
  const state: DunningState = {
    invoiceId,
    status: 'scheduled',
    level: 0,
    lastDate: null,
    hold: null,
    next: null,
    blockedReason: input.blockedReason ?? null,
  };
  let woken = false;
  // Counts every message that woke the workflow: facts read before the latest one may be stale.
  let wakes = 0;
  // The facts the latest reminder's activity read right after recording it, with the wakes seen then.
  let factsAfterReminder: { facts: DunningFacts; wakes: number } | undefined;
  // Bumped each time the state is published, so an update can answer with the state it caused.
  let version = 0;
  const sendNowQueue: { request: SendNowRequest; outcome?: ReminderOutcome }[] = [];
  const wake = () => {
    woken = true;
    wakes++;
  };
  const wakeAndSettle = async () => {
    const seen = version;
    wake();
    await condition(() => version > seen);
    return state;
  };

  setHandler(stateQuery, () => state);
  setHandler(paymentRecordedSignal, wake);
  setHandler(invoiceChangedSignal, () => {
    state.blockedReason = null;
    wake();
  });
  setHandler(stepsChangedSignal, wake);
  setHandler(statementOutcomeSignal, ({ status, reason }) => {
    if (status === 'failed') state.blockedReason = reason;
    wake();
  });
  setHandler(
    pauseUpdate,
    async ({ reason, actor }) => {
      await activities.setInvoicePause({ invoiceId, paused: true, reason, actor });
      return wakeAndSettle();
    },
    { validator: ({ reason }) => requireOpen(state, reason.trim() ? null : 'a reason is required to pause dunning') },
  );
  setHandler(
    resumeUpdate,
    async ({ actor }) => {
      await activities.setInvoicePause({ invoiceId, paused: false, reason: null, actor });
      return wakeAndSettle();
    },
    { validator: (_request) => requireOpen(state, null) },
  );
  setHandler(
    sendNowUpdate,
    async (request) => {
      const item: { request: SendNowRequest; outcome?: ReminderOutcome } = { request };
      sendNowQueue.push(item);
      wake();
      await condition(() => item.outcome !== undefined);
      return item.outcome!;
    },
    {
      validator: ({ level }) =>
        requireOpen(
          state,
          level !== undefined && level <= state.level ? `level ${level} was already performed (current level ${state.level})` : null,
        ),
    },
  );

  let turnsSinceContinue = 0;
  try {
    for (;;) {
      woken = false;
      // Right after a reminder, with no message since, its activity's facts are the database's.
      const carried = factsAfterReminder?.wakes === wakes ? factsAfterReminder.facts : undefined;
      factsAfterReminder = undefined;
      const waiting = sendNowQueue[0];
      if (!carried && waiting && uses('ask-in-one-activity')) {
        await answerAskInOneActivity(waiting);
        continue;
      }
      // Histories recorded before the local read keep replaying with the regular activity.
      const facts = carried ?? (uses('load-facts-locally') ? await localReads.loadDunningFacts(invoiceId) : await activities.loadDunningFacts(invoiceId));
      const action = nextAction(facts, Date.now());
      if (action.kind === 'settle_promise') {
        // Kept or broken: written down once, then dunning goes on from where it was.
        // Its day is the workflow's: the next step counts from the day a promise was kept.
        await activities.settlePromise({ invoiceId, promiseId: action.promiseId, outcome: action.outcome, at: Date.now() });
        continue;
      }
      state.level = facts.progress.level;
      state.lastDate = facts.progress.lastDate;
      state.hold = action.kind === 'held' ? action.hold : null;

      if (action.kind === 'ended') {
        await finish(action.status);
        return { status: state.status, level: state.level };
      }
      // A person's or a bulk run's ask goes first: it is answered in this turn.
      const asked = sendNowQueue.shift();
      if (asked) await answerAsk(asked, action);
      else await carryOut(action, facts);
    }
  } catch (err) {
    // An operator cancelled the workflow in Temporal: the stop is the invoice's until a person
    // resumes it from the admin site, and nothing restarts it before (workflows started for it end at once).
    if (!isCancellation(err) || !uses('operator-stop')) throw err;
    await CancellationScope.nonCancellable(() => activities.recordOperatorStop({ invoiceId, how: 'cancelled', at: Date.now() }));
    state.status = 'stopped';
    state.next = null;
    publish();
    throw err;
  }

  /** Performs what a person or a bulk run asked for, and keeps what it tells of the invoice's state. */
  async function answerAsk(asked: { request: SendNowRequest; outcome?: ReminderOutcome }, action: NextAction): Promise<void> {
    keepOutcome(asked, await performAsked(asked.request, action));
  }

  function keepOutcome(asked: { request: SendNowRequest; outcome?: ReminderOutcome }, outcome: ReminderOutcome): void {
    asked.outcome = outcome;
    if (outcome.status === 'sent') {
      // Known before the next reload, so a second "send now" for this level is refused at once.
      state.level = Math.max(state.level, outcome.level);
      state.blockedReason = null;
    }
    if (outcome.status === 'failed') state.blockedReason = outcome.reason;
  }

  /**
   * Carries out the planner's action. A level that could not be delivered (no address, refused)
   * waits for a change of the invoice or its customer before it is tried again.
   */
  async function carryOut(action: NextAction, facts: DunningFacts): Promise<void> {
    const deliverable = !state.blockedReason;
    if (deliverable && action.kind === 'awaiting_approval') return awaitReview(action.heldInReview);
    if (deliverable && action.kind === 'join_statement') {
      // The customer's statement sends it with the day's other reminders; until then the level waits in it.
      await activities.joinCustomerStatement({ invoiceId, level: action.step.level });
      return;
    }
    if (deliverable && action.kind === 'send') {
      const outcome = await performReminder(emailQueueActivities, { invoiceId, level: action.step.level, actor: 'system', note: null, at: Date.now() });
      if (outcome.status === 'failed') state.blockedReason = outcome.reason;
      return;
    }
    if (action.kind === 'finished') return stayOwner(action.status, facts);
    return sleepUntilNext(action, facts, deliverable);
  }

  /** The policy waits for finance's review: approving the day's pass (or releasing this invoice) wakes it. */
  async function awaitReview(heldInReview: boolean): Promise<void> {
    state.status = 'held';
    state.hold = heldInReview ? 'held_in_review' : 'awaiting_approval';
    state.next = null;
    publish();
    await waitForMessage();
  }

  /**
   * Every step performed: nothing more is sent, but the workflow stays the invoice's owner until it
   * is paid or cancelled, so a late payment still closes it and the Temporal UI lists it.
   */
  async function stayOwner(status: 'litigation' | 'completed', facts: DunningFacts): Promise<void> {
    if (state.status !== status) {
      state.status = status;
      state.next = null;
      publish();
      // Once per ending and level: a restarted workflow that finds the same ending records nothing new.
      const once = { invoiceId, dedupeKey: `invoice-${invoiceId}-end-${status}-level-${state.level}`, occurredAt: Date.now() };
      await activities.recordEvent(status === 'litigation'
        ? { ...once, kind: 'dunning_litigation', params: { step: facts.steps.at(-1)!.name } }
        : { ...once, kind: 'dunning_completed', params: {} });
    }
    await waitForMessage();
  }

  /** Says what comes next and sleeps until then, or until a message wakes the workflow. */
  async function sleepUntilNext(action: NextAction, facts: DunningFacts, deliverable: boolean): Promise<void> {
    state.status = action.kind === 'held' ? 'held' : state.blockedReason ? 'blocked' : 'scheduled';
    const next = action.kind === 'wait' && deliverable ? action.step : null;
    state.next = next ? { level: next.level, name: next.name, sendDate: next.sendDate, sendAt: new Date(next.sendAt).toISOString() } : null;
    publish();
    // A promise is judged again the day after its date, at the send hour, if nothing came before.
    const promise = facts.dunnable.promise;
    const wakeAt = next ? next.sendAt : state.hold === 'promised' && promise ? instantAt(addDays(promise.promisedOn, 1), facts.settings.sendHour, facts.settings.timeZone) : undefined;
    await waitForMessage(wakeAt === undefined ? undefined : wakeAt - Date.now());
  }

  /** A level asked for by a person or a bulk run, judged on this turn's facts. */
  async function performAsked(request: SendNowRequest, action: NextAction): Promise<ReminderOutcome> {
    const judgedByActivity = request.runId !== undefined && uses('run-asks-judged-by-activity');
    const asked = askedReminder(request, action, state.level, judgedByActivity);
    if ('answer' in asked) return asked.answer;
    return performReminder(sendingActivities(request), { ...asked.perform, invoiceId, at: Date.now() });
  }

  /**
   * One activity reads the invoice's facts, judges the ask on them and performs it: the workflow's
   * own read before it would only repeat the activity's. No answer when dunning has ended or a
   * promise is to be settled first: the workflow's turn does that with the facts it returns.
   */
  async function answerAskInOneActivity(asked: { request: SendNowRequest; outcome?: ReminderOutcome }): Promise<void> {
    const seen = wakes;
    const { outcome, facts } = await sendingActivities(asked.request).answerAsk({ invoiceId, request: asked.request, at: Date.now() });
    factsAfterReminder = { facts, wakes: seen };
    if (!outcome) return;
    sendNowQueue.shift();
    keepOutcome(asked, outcome);
  }

  function sendingActivities(request: SendNowRequest): typeof activities {
    return request.sendInline ? localActivities : emailQueueActivities;
  }

  /** Performs a reminder; histories recorded before the activity answered with its facts replay without them. */
  async function performReminder(via: typeof activities, reminder: PerformReminderInput): Promise<ReminderOutcome> {
    if (!uses('facts-after-reminder')) return via.performReminder(reminder);
    const seen = wakes;
    const { outcome, facts } = await via.performReminderThenFacts(reminder);
    if (facts) factsAfterReminder = { facts, wakes: seen };
    return outcome;
  }

  async function waitForMessage(timeoutMs?: number): Promise<void> {
    if (turnsSinceContinue++ >= TURNS_BEFORE_CONTINUE || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof invoiceDunning>({ invoiceId, codeVersion: INVOICE_DUNNING_CODE_VERSION, blockedReason: state.blockedReason });
    }
    if (timeoutMs === undefined) await condition(() => woken);
    else await condition(() => woken, Math.max(1, timeoutMs));
  }

  function publish(): void {
    upsertSearchAttributes(searchAttributes(state));
    version++;
  }

  async function finish(status: 'paid' | 'cancelled' | 'stopped'): Promise<void> {
    state.status = status;
    state.next = null;
    publish();
    // A stop was recorded when the operator made it; a workflow started since ends without a word.
    if (status !== 'stopped') await activities.recordEvent({ invoiceId, kind: `dunning_${status}` as const, params: {}, dedupeKey: `invoice-${invoiceId}-end-${status}`, occurredAt: Date.now() });
    // Updates still waiting get their answer before the workflow closes.
    for (const item of sendNowQueue) item.outcome = { status: 'skipped', level: item.request.level ?? state.level + 1, hold: status };
    await condition(allHandlersFinished);
  }
}

function requireOpen(state: DunningState, problem: string | null): void {
  if (['paid', 'cancelled', 'litigation', 'completed', 'stopped'].includes(state.status)) {
    throw new Error(`dunning has ended for this invoice (${state.status})`);
  }
  if (problem) throw new Error(problem);
}

function searchAttributes(state: DunningState): SearchAttributeUpdatePair[] {
  return [
    { key: dunningLevelKey, value: state.level },
    { key: dunningStatusKey, value: state.status },
    { key: nextStepAtKey, value: state.next ? new Date(state.next.sendAt) : null },
  ];
}
