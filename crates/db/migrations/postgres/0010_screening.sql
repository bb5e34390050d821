-- Exploitation screening and escalation (issue 4, sections 1 and 5).
-- A screening is append-only: a new assessment is a new screening, and the
-- history gives the trend. Each ticked indicator keeps its label, category
-- and high-risk mark as they were configured when screened.

create table screenings (
    id uuid primary key,
    child_id uuid not null references children (id),
    age bigint not null,
    level text not null,
    suggested text not null,
    under_13 boolean not null,
    peers text not null,
    summary text not null,
    recorded_by uuid not null references users (id),
    recorded_at timestamptz not null
);
create index screenings_child on screenings (child_id, recorded_at);

create table screening_ticks (
    screening_id uuid not null references screenings (id),
    indicator text not null,
    category text not null,
    label text not null,
    high_risk boolean not null,
    evidence text not null,
    basis text not null check (basis in ('evidence', 'gut_feeling')),
    primary key (screening_id, indicator)
);

create function screening_append_only() returns trigger language plpgsql as $$
begin
    raise exception '% is append-only', tg_table_name;
end;
$$;
create trigger screenings_no_change before update or delete on screenings
    for each row execute function screening_append_only();
create trigger screening_ticks_no_change before update or delete on screening_ticks
    for each row execute function screening_append_only();

-- Proposed panel referrals. At most one waits for a decision per child.
-- An accepted proposal waits for the panel module to make the referral
-- (referred_at set then).
create table escalation_proposals (
    id uuid primary key,
    child_id uuid not null references children (id),
    grounds text not null,
    detail text not null,
    source text not null check (source in ('screening', 'missing')),
    proposed_at timestamptz not null,
    status text not null check (status in ('pending', 'accepted', 'declined')),
    decided_by uuid references users (id),
    decided_at timestamptz,
    reason text,
    referred_at timestamptz,
    check ((status = 'pending') = (decided_by is null)),
    check ((status = 'pending') = (decided_at is null)),
    check ((status = 'pending') = (reason is null)),
    check (referred_at is null or status = 'accepted')
);
create unique index escalation_one_pending on escalation_proposals (child_id) where status = 'pending';
create index escalation_status on escalation_proposals (status, proposed_at);
