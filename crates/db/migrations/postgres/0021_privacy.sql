-- Retention review decisions and subject access requests (issue 9 §5).

-- One row per review decision; the latest per child stands. Append-only:
-- a later decision supersedes, nothing is edited.
create table retention_decisions (
    id uuid primary key,
    child_id uuid not null references children (id),
    decision text not null check (decision in ('keep', 'destroy')),
    keep_until date,
    hold_reason text check (hold_reason in ('litigation', 'inquiry_hold', 'still_needed')),
    note text not null,
    category text not null,
    retain_until date not null,
    decided_by uuid not null references users (id),
    decided_at timestamptz not null,
    check ((decision = 'keep') = (keep_until is not null and hold_reason is not null))
);
create index retention_decisions_child on retention_decisions (child_id, decided_at);

create table subject_access_requests (
    id uuid primary key,
    child_id uuid not null references children (id),
    requester text not null,
    relationship text not null,
    received_on date not null,
    identity_checked boolean not null,
    extended boolean not null default false,
    extension_reason text,
    due_on date not null,
    logged_by uuid not null references users (id),
    logged_at timestamptz not null,
    assembled_at timestamptz,
    exported_at timestamptz,
    exported_by uuid references users (id),
    check (due_on > received_on),
    check (not extended or extension_reason is not null)
);
create index subject_access_child on subject_access_requests (child_id);

-- The record as assembled for a request, item by item, with the reviewer's
-- decision on each flagged item (the released bundle can be rebuilt from it).
create table subject_access_items (
    request_id uuid not null references subject_access_requests (id),
    position bigint not null,
    section text not null,
    title text not null,
    original text not null,
    names text not null,
    decision text check (decision in ('release', 'redact', 'withhold')),
    redacted text,
    exemption text check (exemption in ('third_party', 'serious_harm', 'child_expectation')),
    decided_by uuid references users (id),
    decided_at timestamptz,
    primary key (request_id, position),
    check (decision is null or decided_by is not null),
    check (decision <> 'redact' or redacted is not null)
);
