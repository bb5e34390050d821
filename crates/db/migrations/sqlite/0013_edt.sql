-- Out of hours: the child's safety plan (a new version per save), day-team
-- alerts to the emergency duty team (with an expiry), the out-of-hours
-- contact log, a handover of each contact to the day team (due by the next
-- working day; escalation is computed on read from due_at and
-- acknowledged_at) and placement support records.

create table safety_plans (
    child_id blob not null references children (id),
    version integer not null check (version >= 1),
    plan text not null check (length(plan) between 1 and 10000),
    agreed_with text not null,
    recorded_by blob not null references users (id),
    recorded_at text not null,
    primary key (child_id, version)
);

create table edt_alerts (
    id blob primary key,
    child_id blob not null references children (id),
    if_happens text not null check (length(if_happens) between 1 and 2000),
    then_do text not null check (length(then_do) between 1 and 2000),
    expires_at text not null,
    created_by blob not null references users (id),
    created_at text not null,
    withdrawn_at text,
    withdrawn_by blob references users (id),
    check (expires_at > created_at),
    check ((withdrawn_at is null) = (withdrawn_by is null))
);
create index edt_alerts_child on edt_alerts (child_id, expires_at);
create index edt_alerts_expiry on edt_alerts (expires_at);

create table ooh_contacts (
    id blob primary key,
    child_id blob not null references children (id),
    received_at text not null,
    caller text not null check (length(caller) between 1 and 200),
    caller_agency text not null,
    kind text not null check (kind in ('missing', 'found', 'placement', 'child_protection', 'police_protection', 'appropriate_adult', 'advice')),
    reported text not null check (length(reported) between 1 and 10000),
    agencies text not null,
    actions text not null check (length(actions) between 1 and 10000),
    outcome text not null check (length(outcome) between 1 and 10000),
    placement_support integer not null default 0,
    missing_episode_id blob unique references missing_episodes (id),
    recorded_by blob not null references users (id),
    recorded_at text not null
);
create index ooh_contacts_child on ooh_contacts (child_id, received_at);
create index ooh_contacts_received on ooh_contacts (received_at);

create table edt_handovers (
    id blob primary key,
    contact_id blob not null unique references ooh_contacts (id),
    child_id blob not null references children (id),
    team_id blob references teams (id),
    due_at text not null,
    acknowledged_at text,
    acknowledged_by blob references users (id),
    note text,
    check ((acknowledged_at is null) = (acknowledged_by is null))
);
create index edt_handovers_waiting on edt_handovers (team_id, due_at) where acknowledged_at is null;

create table placement_support (
    id blob primary key,
    child_id blob not null references children (id),
    placement_id blob references placements (id),
    kind text not null check (kind in ('crisis', 'stability_concern')),
    occurred_at text not null,
    summary text not null check (length(summary) between 1 and 10000),
    next_steps text not null,
    missing_episode_id blob references missing_episodes (id),
    contact_id blob references ooh_contacts (id),
    recorded_by blob not null references users (id),
    recorded_at text not null
);
create index placement_support_child on placement_support (child_id, occurred_at);
