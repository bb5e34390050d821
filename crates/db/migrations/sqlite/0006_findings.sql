-- What a return home interview's findings reach: one sharing decision per
-- recipient with its lawful basis (or the reason not to share), the
-- notifications that tell other organisations, and the people and places the
-- child named, linked into the child's record.

alter table organisations add column notify_email text;

-- Who offered the interview, and who was told when the child declined it.
alter table rhi_interviews add column offered_by text;
alter table rhi_interviews add column declined_told text;

-- Corrections to an episode: who last changed it and when (the audit trail
-- keeps each change).
alter table missing_episodes add column updated_by blob references users (id);
alter table missing_episodes add column updated_at text;

create table rhi_shares (
    interview_id blob not null references rhi_interviews (id),
    recipient text not null check (recipient in ('social_worker', 'police', 'placing_authority', 'host_authority', 'panel')),
    share integer not null check (share in (0, 1)),
    basis text check (basis in ('public_task_safeguarding', 'legal_obligation', 'vital_interests', 'consent')),
    reason text not null default '',
    decided_by blob not null references users (id),
    decided_at text not null,
    primary key (interview_id, recipient),
    check (share = 0 or basis is not null)
);

create table notifications (
    id blob primary key,
    child_id blob not null references children (id),
    interview_id blob not null references rhi_interviews (id),
    recipient text not null,
    org_id blob references organisations (id),
    org_name text not null,
    email text,
    subject text not null,
    body text not null,
    basis text not null,
    status text not null check (status in ('queued', 'sent', 'not_emailed', 'failed')),
    attempts integer not null default 0,
    next_attempt_at text,
    last_error text,
    created_by blob not null references users (id),
    created_at text not null,
    sent_at text,
    received_at text,
    received_by blob references users (id),
    received_by_name text
);
create index notifications_child on notifications (child_id, created_at);
create index notifications_org on notifications (org_id, created_at);
create index notifications_due on notifications (next_attempt_at) where status = 'queued';

create table child_named (
    id blob primary key,
    child_id blob not null references children (id),
    kind text not null check (kind in ('person', 'place')),
    name text not null,
    source text not null,
    source_id blob not null,
    named_at text not null,
    recorded_by blob not null references users (id),
    recorded_at text not null
);
create index child_named_child on child_named (child_id, kind);
