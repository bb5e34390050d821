-- Weighted caseloads: each team's establishment (funded FTE), care
-- proceedings (court work) per child, allocations a team manager made past
-- a protected ASYE cap or the red threshold, and weekly caseload snapshots.

alter table teams add column establishment_fte_hundredths integer
    check (establishment_fte_hundredths is null or establishment_fte_hundredths >= 0);

create table court_work (
    child_id blob primary key references children (id),
    since text not null,
    recorded_by blob references users (id),
    recorded_at text not null
);

create table allocation_overrides (
    id blob primary key,
    allocation_id blob not null unique references allocations (id),
    child_id blob not null references children (id),
    worker_id blob not null references users (id),
    team_id blob references teams (id),
    breach text not null check (breach in ('asye_cap', 'red_threshold')),
    projected_points integer not null,
    capacity_points integer not null,
    reason text not null check (length(reason) between 10 and 2000),
    approved_by blob not null references users (id),
    recorded_at text not null
);
create index allocation_overrides_team on allocation_overrides (team_id, recorded_at);

create table caseload_snapshots (
    week text not null,
    worker_id blob not null references users (id),
    team_id blob references teams (id),
    asye integer not null,
    fte_hundredths integer not null,
    children integer not null,
    points integer not null,
    capacity_points integer not null,
    taken_at text not null,
    primary key (week, worker_id)
);
create index caseload_snapshots_team on caseload_snapshots (team_id, week);
