-- Return home interviews: offered to the child after every return, by the
-- commissioned provider, due within 72 hours (DfE 2014 guidance).

create table rhi_interviews (
    id blob primary key,
    episode_id blob not null unique references missing_episodes (id),
    child_id blob not null references children (id),
    provider_org_id blob not null references organisations (id),
    due_at text not null,
    created_at text not null,
    outcome text not null default 'awaiting' check (outcome in ('awaiting', 'completed', 'declined', 'not_held')),
    offered_at text,
    held_at text,
    reason text,
    late_reason text,
    push_pull text,
    harm_disclosed text,
    exploitation_indicators text,
    people_places text,
    actions text,
    recorded_by blob references users (id),
    recorded_at text
);
create index rhi_interviews_provider_open on rhi_interviews (provider_org_id, due_at) where outcome = 'awaiting';
create index rhi_interviews_child on rhi_interviews (child_id);
