-- Dashboards at national scale (docs/PERFORMANCE.md, dashboards at L).
--
-- A team's counts start from the team's children: the open allocations of
-- the team (a hundred or so children), found by this index instead of
-- filtering every episode, interview and screening in the country by an
-- `exists` on allocations.
create index allocations_team_open on allocations (team_id, child_id) where end_date is null;

-- The service-wide counts read a year of rows by time (290,000 episodes
-- and as many interviews at L). With only the time in the index each row
-- cost a visit to the table (a random read when cold: 28 s for the missing
-- chart); these indexes carry every column the counts read, so they are
-- answered from the index alone.
drop index missing_episodes_last_seen;
create index missing_episodes_last_seen on missing_episodes (last_seen_at, kind, child_id);
drop index rhi_interviews_due;
create index rhi_interviews_due on rhi_interviews (due_at, outcome, offered_at);
drop index screenings_recorded;
create index screenings_recorded on screenings (recorded_at, child_id, level, id);
drop index supervision_sessions_held;
create index supervision_sessions_held on supervision_sessions (held_at, recording_due, signed_off_at);
