-- The dashboards count each month's rows by these times: without an index
-- every month read the whole table (a second per chart per month at the L
-- scale, 2 million episodes; docs/PERFORMANCE.md).
create index missing_episodes_last_seen on missing_episodes (last_seen_at);
create index rhi_interviews_due on rhi_interviews (due_at);
create index screenings_recorded on screenings (recorded_at);
create index panel_referrals_referred on panel_referrals (referred_at);
create index supervision_sessions_held on supervision_sessions (held_at);
