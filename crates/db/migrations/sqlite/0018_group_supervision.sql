-- Group supervision (SQLite). Keep in step with ../postgres/0018_group_supervision.sql.

-- The supervisees who attended a group session, in the order chosen. The
-- first is also the session's supervisee_id (so every query by session
-- still finds one whose file decides it). A one-to-one session has no rows
-- here: its supervisee_id is its only supervisee.
create table supervision_attendees (
    session_id blob not null references supervision_sessions (id),
    user_id blob not null references users (id),
    position integer not null,
    primary key (session_id, user_id)
);
create index supervision_attendees_user on supervision_attendees (user_id);

-- Sessions recorded as 'group' before this migration had one supervisee.
insert into supervision_attendees (session_id, user_id, position)
select id, supervisee_id, 0 from supervision_sessions where format = 'group';

-- The worker whose child a case discussion is about (in a group session,
-- one of the attendees); null in older rows, meaning the session's supervisee.
alter table case_discussions add column worker_id blob references users (id);
