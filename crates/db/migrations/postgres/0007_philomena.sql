-- Philomena Protocol profiles (Durham Constabulary, 2019): a versioned
-- description of a child at risk of going missing, for the police handover
-- pack. Versions and photos are append-only: a change is a new version, and
-- the current profile is the highest version. A version may keep the photo
-- of the one before (same photo_id); a photo belongs to one child.

create table philomena_photos (
    id uuid primary key,
    child_id uuid not null references children (id),
    content_type text not null check (content_type in ('image/jpeg', 'image/png')),
    size_bytes bigint not null check (size_bytes > 0 and size_bytes <= 2097152),
    bytes bytea not null,
    uploaded_by uuid not null references users (id),
    uploaded_at timestamptz not null,
    check (length(bytes) = size_bytes),
    unique (id, child_id)
);
create index philomena_photos_child on philomena_photos (child_id);

create table philomena_profiles (
    child_id uuid not null references children (id),
    version bigint not null check (version >= 1),
    height text not null,
    build text not null,
    hair text not null,
    eyes text not null,
    marks text not null,
    clothing text not null,
    vulnerabilities text not null,
    medical text not null,
    associates text not null,
    places text not null,
    phones_social text not null,
    transport_finances text not null,
    photo_id uuid,
    recorded_by uuid not null references users (id),
    recorded_at timestamptz not null,
    primary key (child_id, version),
    foreign key (photo_id, child_id) references philomena_photos (id, child_id)
);

create function philomena_append_only() returns trigger language plpgsql as $$
begin
    raise exception '% is append-only', tg_table_name;
end;
$$;
create trigger philomena_profiles_no_change before update or delete on philomena_profiles
    for each row execute function philomena_append_only();
create trigger philomena_photos_no_change before update or delete on philomena_photos
    for each row execute function philomena_append_only();
