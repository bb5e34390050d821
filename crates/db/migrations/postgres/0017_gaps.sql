-- Corrections to context records and their links to children, and the
-- ending of a link, kept as history: what changed (in words), why, who and
-- when. A link is ended by setting its to_date; the reason is here.
-- Keep in step with ../sqlite/0017_gaps.sql.

create table context_changes (
    id uuid primary key,
    entity_id uuid not null references context_entities (id),
    link_id uuid references context_links (id),
    child_id uuid references children (id),
    change text not null,
    reason text not null check (char_length(reason) between 1 and 2000),
    changed_by uuid not null references users (id),
    changed_at timestamptz not null,
    check ((link_id is null) = (child_id is null))
);
create index context_changes_entity on context_changes (entity_id, changed_at);
create index context_changes_link on context_changes (link_id);
