-- After a change, the admin redirects to the page (post/redirect/get); the outcome to show there
-- waits on the session for one showing, so a reload neither repeats the change nor its message.
alter table sessions add column flash jsonb;
