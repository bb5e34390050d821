-- Signed checkpoints of the audit chain's head (docs/SECURITY.md "Audit").
-- The signed message is rebuilt from these columns; the exported files are
-- the copies that count, since whoever can rewrite audit_log can rewrite this.
create table audit_checkpoints (
    seq bigint primary key,
    hash text not null,
    at timestamptz not null,
    entries bigint not null,
    signature text not null,
    public_key text not null
);

create function audit_checkpoints_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_checkpoints is append-only';
end $$;
create trigger audit_checkpoints_no_update before update or delete on audit_checkpoints
    for each row execute function audit_checkpoints_append_only();
