-- Harbour core schema (PostgreSQL). Keep in step with ../sqlite/0001_core.sql.

create table authorities (
    la_code text primary key,
    name text not null
);

create table organisations (
    id uuid primary key,
    name text not null,
    kind text not null,
    la_code text references authorities (la_code)
);

create table pods (
    id uuid primary key,
    name text not null unique
);

create table teams (
    id uuid primary key,
    name text not null unique,
    pod_id uuid references pods (id),
    manager_id uuid
);

create table users (
    id uuid primary key,
    email text not null unique,
    name text not null,
    role text not null,
    org_id uuid not null references organisations (id),
    team_id uuid references teams (id),
    pod_id uuid references pods (id),
    fte_hundredths integer not null default 100 check (fte_hundredths between 0 and 100),
    swe_number text,
    agency boolean not null default false,
    asye_start date,
    password_hash text not null,
    totp_secret text,
    disabled_at timestamptz,
    failed_attempts integer not null default 0,
    locked_until timestamptz,
    created_at timestamptz not null
);
create index users_team on users (team_id);

create table sessions (
    token_hash text primary key,
    user_id uuid not null references users (id),
    created_at timestamptz not null,
    last_seen_at timestamptz not null,
    expires_at timestamptz not null
);
create index sessions_user on sessions (user_id);

create table api_tokens (
    id uuid primary key,
    user_id uuid not null references users (id),
    name text not null,
    token_hash text not null unique,
    created_at timestamptz not null,
    last_used_at timestamptz,
    revoked_at timestamptz
);

create table children (
    id uuid primary key,
    la_child_id text not null unique,
    first_name text not null,
    last_name text not null,
    dob date not null,
    sex text not null,
    ethnicity text not null,
    upn text,
    nhs_number text,
    responsible_la text not null references authorities (la_code),
    host_la text references authorities (la_code),
    school text,
    restricted boolean not null default false,
    created_at timestamptz not null,
    created_by uuid references users (id)
);
create index children_dob on children (dob);
create index children_upn on children (upn);
create index children_nhs on children (nhs_number);

create table child_name_keys (
    key text not null,
    child_id uuid not null references children (id),
    primary key (key, child_id)
);
create index child_name_keys_child on child_name_keys (child_id);

create table child_aliases (
    child_id uuid not null references children (id),
    name text not null,
    kind text not null
);
create index child_aliases_child on child_aliases (child_id);

create table child_addresses (
    id uuid primary key,
    child_id uuid not null references children (id),
    line1 text not null,
    town text not null,
    postcode text not null,
    from_date date not null,
    to_date date
);
create index child_addresses_child on child_addresses (child_id);

create table legal_statuses (
    id uuid primary key,
    child_id uuid not null references children (id),
    status text not null,
    start_date date not null,
    end_date date,
    recorded_at timestamptz not null,
    check (end_date is null or end_date >= start_date)
);
create index legal_statuses_child on legal_statuses (child_id);

create table placements (
    id uuid primary key,
    child_id uuid not null references children (id),
    place_code text not null,
    provider_code text not null,
    carer_name text not null,
    carer_phone text,
    postcode text not null,
    area_la text not null references authorities (la_code),
    start_date date not null,
    end_date date,
    check (end_date is null or end_date >= start_date)
);
create index placements_child on placements (child_id);

create table relationships (
    id uuid primary key,
    child_id uuid not null references children (id),
    kind text not null,
    name text not null,
    role text not null,
    organisation text,
    phone text,
    parental_responsibility boolean not null default false
);
create index relationships_child on relationships (child_id);

create table allocations (
    id uuid primary key,
    child_id uuid not null references children (id),
    worker_id uuid not null references users (id),
    team_id uuid references teams (id),
    start_date date not null,
    end_date date,
    sw_reason text not null,
    recorded_by uuid not null references users (id),
    recorded_at timestamptz not null,
    check (end_date is null or end_date >= start_date)
);
create index allocations_child on allocations (child_id);
create index allocations_worker on allocations (worker_id) where end_date is null;
create unique index allocations_one_open on allocations (child_id) where end_date is null;

create table case_notes (
    id uuid primary key,
    child_id uuid not null references children (id),
    author_id uuid not null references users (id),
    kind text not null,
    occurred_at timestamptz not null,
    recorded_at timestamptz not null,
    subject text not null,
    body text not null,
    significant boolean not null default false
);
create index case_notes_child on case_notes (child_id, occurred_at);

create table decisions (
    id uuid primary key,
    child_id uuid not null references children (id),
    decided_by uuid not null references users (id),
    recorded_by uuid not null references users (id),
    decided_at timestamptz not null,
    recorded_at timestamptz not null,
    decision text not null,
    rationale text not null,
    significant boolean not null default false
);
create index decisions_child on decisions (child_id, decided_at);

create table alerts (
    id uuid primary key,
    child_id uuid not null references children (id),
    text text not null,
    created_at timestamptz not null,
    expires_at timestamptz
);
create index alerts_child on alerts (child_id);

create table shares (
    id uuid primary key,
    child_id uuid not null references children (id),
    org_id uuid not null references organisations (id),
    scope text not null,
    reason text not null,
    granted_by uuid not null references users (id),
    granted_at timestamptz not null,
    expires_at timestamptz
);
create index shares_child_org on shares (child_id, org_id);
create index shares_org on shares (org_id);

create table break_glass (
    id uuid primary key,
    user_id uuid not null references users (id),
    child_id uuid not null references children (id),
    reason text not null,
    granted_at timestamptz not null,
    expires_at timestamptz not null,
    reviewed_at timestamptz,
    reviewed_by uuid references users (id)
);
create index break_glass_user_child on break_glass (user_id, child_id);

create table audit_log (
    seq bigint primary key,
    at timestamptz not null,
    actor_id uuid,
    actor_role text not null,
    action text not null,
    target_kind text not null,
    target_id uuid,
    child_id uuid,
    outcome text not null,
    reason text,
    request_id text,
    prev_hash text not null,
    hash text not null
);
create index audit_log_child on audit_log (child_id, seq) where child_id is not null;
create index audit_log_actor on audit_log (actor_id, seq);

create table audit_head (
    id integer primary key check (id = 1),
    seq bigint not null,
    hash text not null
);
insert into audit_head (id, seq, hash)
values (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- The application never changes or removes audit rows; neither may anyone else
-- through the application's connection.
create function audit_log_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_log is append-only';
end;
$$;
create trigger audit_log_no_update before update or delete on audit_log
    for each row execute function audit_log_append_only();
