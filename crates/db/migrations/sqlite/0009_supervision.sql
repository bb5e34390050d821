-- Supervision, recorded once, and management oversight (SQLite).
-- Keep in step with ../postgres/0009_supervision.sql.

-- A session: supervisor and supervisee (any user, so designated teachers
-- too), draft until the supervisor signs it off. worker_notes is the
-- non-case part, private to the supervisee and their line manager.
create table supervision_sessions (
    id blob primary key,
    supervisee_id blob not null references users (id),
    supervisor_id blob not null references users (id),
    kind text not null check (kind in ('case', 'asye', 'designated_teacher')),
    format text not null check (format in ('one_to_one', 'group')),
    held_at text not null,
    duration_minutes integer not null check (duration_minutes > 0),
    worker_notes text not null,
    status text not null check (status in ('draft', 'signed_off')),
    drafted_by blob not null references users (id),
    drafted_at text not null,
    signed_off_by blob references users (id),
    signed_off_at text,
    recording_due text not null,
    check ((status = 'signed_off') = (signed_off_at is not null and signed_off_by is not null))
);
create index supervision_sessions_supervisee on supervision_sessions (supervisee_id, held_at);
create index supervision_sessions_drafts on supervision_sessions (recording_due) where status = 'draft';

-- A case discussion: part of the child's record and of the worker's file.
create table case_discussions (
    id blob primary key,
    session_id blob not null references supervision_sessions (id),
    child_id blob not null references children (id),
    position integer not null,
    analysis text not null,
    decisions text not null,
    unique (session_id, child_id)
);
create index case_discussions_child on case_discussions (child_id);

-- Actions agreed in a session, with an owner and a due date. A carried
-- forward action is continued by a new one in the reviewing session.
create table supervision_actions (
    id blob primary key,
    session_id blob not null references supervision_sessions (id),
    child_id blob references children (id),
    position integer not null,
    text text not null,
    owner_id blob not null references users (id),
    due_date text not null,
    status text not null check (status in ('open', 'done', 'not_done', 'carried_forward')),
    continues blob references supervision_actions (id)
);
create index supervision_actions_session on supervision_actions (session_id);
create index supervision_actions_child on supervision_actions (child_id);
create index supervision_actions_open on supervision_actions (due_date) where status = 'open';

-- The review, at a later session, of an earlier action: the manager's evaluation.
create table supervision_reviews (
    session_id blob not null references supervision_sessions (id),
    action_id blob not null references supervision_actions (id),
    outcome text not null check (outcome in ('done', 'not_done', 'carried_forward')),
    impact text not null,
    primary key (session_id, action_id)
);
create index supervision_reviews_action on supervision_reviews (action_id);

-- Management oversight entries and the fast decision log. Recorded by a
-- pod administrator for a named manager, an entry waits for that manager's
-- confirmation (confirmed_at null); the manager's own are confirmed at once.
create table oversight_entries (
    id blob primary key,
    child_id blob not null references children (id),
    kind text not null check (kind in ('oversight', 'decision')),
    text text not null,
    rationale text not null,
    manager_id blob not null references users (id),
    recorded_by blob not null references users (id),
    at text not null,
    recorded_at text not null,
    confirmed_at text
);
create index oversight_entries_child on oversight_entries (child_id, at);
create index oversight_entries_pending on oversight_entries (manager_id) where confirmed_at is null;
