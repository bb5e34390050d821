-- Contextual safeguarding: persons of concern, peer groups, locations,
-- vehicles, phone numbers and online handles, each with its own record, and
-- their many-to-many links to children (role, source, confidence, dates).
-- A link may come from a person or place the child named at a return home
-- interview (child_named). Decisions on suggested links (two children
-- missing at overlapping times from the same place) are stored once per
-- pair of episodes.

create table context_entities (
    id blob primary key,
    kind text not null check (kind in ('person', 'peer_group', 'location', 'vehicle', 'phone', 'online_handle')),
    name text not null check (length(name) between 1 and 200),
    location_type text check (location_type in ('park', 'takeaway', 'hotel', 'address_of_concern', 'school', 'transport_hub', 'other')),
    postcode text,
    description text not null,
    source text not null check (source in ('interview', 'police', 'practitioner', 'school')),
    created_by blob not null references users (id),
    created_at text not null,
    check ((kind = 'location') = (location_type is not null))
);
create index context_entities_name on context_entities (kind, name);

create table context_links (
    id blob primary key,
    entity_id blob not null references context_entities (id),
    child_id blob not null references children (id),
    role text not null check (role in ('associate', 'suspected_exploiter', 'victim', 'peer', 'frequents', 'found_at')),
    source text not null check (source in ('interview', 'police', 'practitioner', 'school')),
    confidence text not null check (confidence in ('confirmed', 'likely', 'unverified')),
    from_date text,
    to_date text,
    named_id blob references child_named (id),
    recorded_by blob not null references users (id),
    recorded_at text not null,
    unique (entity_id, child_id, role),
    check (to_date is null or from_date is null or to_date >= from_date)
);
create index context_links_child on context_links (child_id);

create table context_suggestion_decisions (
    episode_a blob not null references missing_episodes (id),
    episode_b blob not null references missing_episodes (id),
    decision text not null check (decision in ('confirmed', 'dismissed')),
    entity_id blob references context_entities (id),
    decided_by blob not null references users (id),
    decided_at text not null,
    primary key (episode_a, episode_b),
    check ((decision = 'confirmed') = (entity_id is not null))
);
