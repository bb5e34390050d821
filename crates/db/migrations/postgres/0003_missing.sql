-- Missing and away episodes for every child, with police grade history, and
-- idempotency keys so a retried API create never makes a second record.

create table missing_episodes (
    id uuid primary key,
    child_id uuid not null references children (id),
    kind text not null check (kind in ('M', 'A')),
    missing_from text not null,
    last_seen_at timestamptz not null,
    location_left text not null,
    reported_at timestamptz,
    police_ref text,
    circumstances text not null,
    returned_at timestamptz,
    found_where text,
    found_by text,
    recorded_by uuid not null references users (id),
    recorded_at timestamptz not null,
    return_recorded_by uuid references users (id),
    return_recorded_at timestamptz,
    check (returned_at is null or returned_at >= last_seen_at)
);
create index missing_episodes_child on missing_episodes (child_id, last_seen_at);
create unique index missing_episodes_one_open on missing_episodes (child_id) where returned_at is null;
create index missing_episodes_open on missing_episodes (last_seen_at) where returned_at is null;

create table police_grades (
    id uuid primary key,
    episode_id uuid not null references missing_episodes (id),
    grade text not null,
    scheme text not null,
    graded_at timestamptz not null,
    recorded_by uuid not null references users (id),
    recorded_at timestamptz not null
);
create index police_grades_episode on police_grades (episode_id, graded_at);

create table idempotency_keys (
    user_id uuid not null references users (id),
    key text not null,
    request_path text not null,
    status integer not null,
    body text not null,
    created_at timestamptz not null,
    primary key (user_id, key)
);
