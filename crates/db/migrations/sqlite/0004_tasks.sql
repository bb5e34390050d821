-- Work to do: for a person, or for everyone in a role (the out-of-hours
-- team), usually about one child, with a due time.

create table tasks (
    id blob primary key,
    child_id blob references children (id),
    assigned_user blob references users (id),
    assigned_role text,
    kind text not null,
    title text not null,
    detail text not null,
    due_at text not null,
    source_id blob,
    created_by blob references users (id),
    created_at text not null,
    completed_at text,
    completed_by blob references users (id),
    check (assigned_user is not null or assigned_role is not null)
);
create index tasks_user_open on tasks (assigned_user, due_at) where completed_at is null;
create index tasks_role_open on tasks (assigned_role, due_at) where completed_at is null;
create index tasks_child on tasks (child_id);
