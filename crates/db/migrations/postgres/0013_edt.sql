-- Out of hours: the child's safety plan (a new version per save), day-team
-- alerts to the emergency duty team (with an expiry), the out-of-hours
-- contact log, a handover of each contact to the day team (due by the next
-- working day; escalation is computed on read from due_at and
-- acknowledged_at) and placement support records.

create table safety_plans (
    child_id uuid not null references children (id),
    version bigint not null check (version >= 1),
    plan text not null check (char_length(plan) between 1 and 10000),
    agreed_with text not null,
    recorded_by uuid not null references users (id),
    recorded_at timestamptz not null,
    primary key (child_id, version)
);

create table edt_alerts (
    id uuid primary key,
    child_id uuid not null references children (id),
    if_happens text not null check (char_length(if_happens) between 1 and 2000),
    then_do text not null check (char_length(then_do) between 1 and 2000),
    expires_at timestamptz not null,
    created_by uuid not null references users (id),
    created_at timestamptz not null,
    withdrawn_at timestamptz,
    withdrawn_by uuid references users (id),
    check (expires_at > created_at),
    check ((withdrawn_at is null) = (withdrawn_by is null))
);
create index edt_alerts_child on edt_alerts (child_id, expires_at);
create index edt_alerts_expiry on edt_alerts (expires_at);

create table ooh_contacts (
    id uuid primary key,
    child_id uuid not null references children (id),
    received_at timestamptz not null,
    caller text not null check (char_length(caller) between 1 and 200),
    caller_agency text not null,
    kind text not null check (kind in ('missing', 'found', 'placement', 'child_protection', 'police_protection', 'appropriate_adult', 'advice')),
    reported text not null check (char_length(reported) between 1 and 10000),
    agencies text not null,
    actions text not null check (char_length(actions) between 1 and 10000),
    outcome text not null check (char_length(outcome) between 1 and 10000),
    placement_support boolean not null default false,
    missing_episode_id uuid unique references missing_episodes (id),
    recorded_by uuid not null references users (id),
    recorded_at timestamptz not null
);
create index ooh_contacts_child on ooh_contacts (child_id, received_at);
create index ooh_contacts_received on ooh_contacts (received_at);

create table edt_handovers (
    id uuid primary key,
    contact_id uuid not null unique references ooh_contacts (id),
    child_id uuid not null references children (id),
    team_id uuid references teams (id),
    due_at timestamptz not null,
    acknowledged_at timestamptz,
    acknowledged_by uuid references users (id),
    note text,
    check ((acknowledged_at is null) = (acknowledged_by is null))
);
create index edt_handovers_waiting on edt_handovers (team_id, due_at) where acknowledged_at is null;

create table placement_support (
    id uuid primary key,
    child_id uuid not null references children (id),
    placement_id uuid references placements (id),
    kind text not null check (kind in ('crisis', 'stability_concern')),
    occurred_at timestamptz not null,
    summary text not null check (char_length(summary) between 1 and 10000),
    next_steps text not null,
    missing_episode_id uuid references missing_episodes (id),
    contact_id uuid references ooh_contacts (id),
    recorded_by uuid not null references users (id),
    recorded_at timestamptz not null
);
create index placement_support_child on placement_support (child_id, occurred_at);
