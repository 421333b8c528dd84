-- One planner (issue 16). How an invoice entering late catches up is a policy setting: from the
-- first step (the default: steps are "x days after the previous step"), or to the level its dates
-- have reached, the formal notice included only when said so. A bulk run sends each invoice's due
-- step; sending the next level before it is due is an explicit choice kept with the run.
alter table policies add column catch_up text not null default 'first_step'
  check (catch_up in ('first_step', 'reached_level', 'reached_level_final'));
alter table bulk_runs add column send_early boolean not null default false;
-- Who performed a reminder, by id: a bulk run used to record its author's display name, and
-- templates are a user's own by id, so a user's own texts were not used in their runs.
alter table reminders add column user_id bigint references users (id) on delete set null;
