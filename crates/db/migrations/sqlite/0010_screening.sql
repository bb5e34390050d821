-- Exploitation screening and escalation (issue 4, sections 1 and 5).
-- A screening is append-only: a new assessment is a new screening, and the
-- history gives the trend. Each ticked indicator keeps its label, category
-- and high-risk mark as they were configured when screened.

create table screenings (
    id blob primary key,
    child_id blob not null references children (id),
    age integer not null,
    level text not null,
    suggested text not null,
    under_13 integer not null check (under_13 in (0, 1)),
    peers text not null,
    summary text not null,
    recorded_by blob not null references users (id),
    recorded_at text not null
);
create index screenings_child on screenings (child_id, recorded_at);

create table screening_ticks (
    screening_id blob not null references screenings (id),
    indicator text not null,
    category text not null,
    label text not null,
    high_risk integer not null check (high_risk in (0, 1)),
    evidence text not null,
    basis text not null check (basis in ('evidence', 'gut_feeling')),
    primary key (screening_id, indicator)
);

create trigger screenings_no_update before update on screenings
begin
    select raise(abort, 'screenings is append-only');
end;
create trigger screenings_no_delete before delete on screenings
begin
    select raise(abort, 'screenings is append-only');
end;
create trigger screening_ticks_no_update before update on screening_ticks
begin
    select raise(abort, 'screening_ticks is append-only');
end;
create trigger screening_ticks_no_delete before delete on screening_ticks
begin
    select raise(abort, 'screening_ticks is append-only');
end;

-- Proposed panel referrals. At most one waits for a decision per child.
-- An accepted proposal waits for the panel module to make the referral
-- (referred_at set then).
create table escalation_proposals (
    id blob primary key,
    child_id blob not null references children (id),
    grounds text not null,
    detail text not null,
    source text not null check (source in ('screening', 'missing')),
    proposed_at text not null,
    status text not null check (status in ('pending', 'accepted', 'declined')),
    decided_by blob references users (id),
    decided_at text,
    reason text,
    referred_at text,
    check ((status = 'pending') = (decided_by is null)),
    check ((status = 'pending') = (decided_at is null)),
    check ((status = 'pending') = (reason is null)),
    check (referred_at is null or status = 'accepted')
);
create unique index escalation_one_pending on escalation_proposals (child_id) where status = 'pending';
create index escalation_status on escalation_proposals (status, proposed_at);
