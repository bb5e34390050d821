-- Philomena Protocol profiles (Durham Constabulary, 2019): a versioned
-- description of a child at risk of going missing, for the police handover
-- pack. Versions and photos are append-only: a change is a new version, and
-- the current profile is the highest version. A version may keep the photo
-- of the one before (same photo_id); a photo belongs to one child.

create table philomena_photos (
    id blob primary key,
    child_id blob not null references children (id),
    content_type text not null check (content_type in ('image/jpeg', 'image/png')),
    size_bytes integer not null check (size_bytes > 0 and size_bytes <= 2097152),
    bytes blob not null,
    uploaded_by blob not null references users (id),
    uploaded_at text not null,
    check (length(bytes) = size_bytes),
    unique (id, child_id)
);
create index philomena_photos_child on philomena_photos (child_id);

create table philomena_profiles (
    child_id blob not null references children (id),
    version integer not null check (version >= 1),
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
    photo_id blob,
    recorded_by blob not null references users (id),
    recorded_at text not null,
    primary key (child_id, version),
    foreign key (photo_id, child_id) references philomena_photos (id, child_id)
);

create trigger philomena_profiles_no_update before update on philomena_profiles
begin
    select raise(abort, 'philomena_profiles is append-only');
end;
create trigger philomena_profiles_no_delete before delete on philomena_profiles
begin
    select raise(abort, 'philomena_profiles is append-only');
end;
create trigger philomena_photos_no_update before update on philomena_photos
begin
    select raise(abort, 'philomena_photos is append-only');
end;
create trigger philomena_photos_no_delete before delete on philomena_photos
begin
    select raise(abort, 'philomena_photos is append-only');
end;
