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
alter table missing_episodes add column updated_by uuid references users (id);
alter table missing_episodes add column updated_at timestamptz;

create table rhi_shares (
    interview_id uuid not null references rhi_interviews (id),
    recipient text not null check (recipient in ('social_worker', 'police', 'placing_authority', 'host_authority', 'panel')),
    share boolean not null,
    basis text check (basis in ('public_task_safeguarding', 'legal_obligation', 'vital_interests', 'consent')),
    reason text not null default '',
    decided_by uuid not null references users (id),
    decided_at timestamptz not null,
    primary key (interview_id, recipient),
    check (not share or basis is not null)
);

create table notifications (
    id uuid primary key,
    child_id uuid not null references children (id),
    interview_id uuid not null references rhi_interviews (id),
    recipient text not null,
    org_id uuid references organisations (id),
    org_name text not null,
    email text,
    subject text not null,
    body text not null,
    basis text not null,
    status text not null check (status in ('queued', 'sent', 'not_emailed', 'failed')),
    attempts integer not null default 0,
    next_attempt_at timestamptz,
    last_error text,
    created_by uuid not null references users (id),
    created_at timestamptz not null,
    sent_at timestamptz,
    received_at timestamptz,
    received_by uuid references users (id),
    received_by_name text
);
create index notifications_child on notifications (child_id, created_at);
create index notifications_org on notifications (org_id, created_at);
create index notifications_due on notifications (next_attempt_at) where status = 'queued';

create table child_named (
    id uuid primary key,
    child_id uuid not null references children (id),
    kind text not null check (kind in ('person', 'place')),
    name text not null,
    source text not null,
    source_id uuid not null,
    named_at timestamptz not null,
    recorded_by uuid not null references users (id),
    recorded_at timestamptz not null
);
create index child_named_child on child_named (child_id, kind);
