-- Signed checkpoints of the audit chain's head (docs/SECURITY.md "Audit").
-- The signed message is rebuilt from these columns; the exported files are
-- the copies that count, since whoever can rewrite audit_log can rewrite this.
create table audit_checkpoints (
    seq integer primary key,
    hash text not null,
    at text not null,
    entries integer not null,
    signature text not null,
    public_key text not null
);

create trigger audit_checkpoints_no_update before update on audit_checkpoints
begin
    select raise(abort, 'audit_checkpoints is append-only');
end;
create trigger audit_checkpoints_no_delete before delete on audit_checkpoints
begin
    select raise(abort, 'audit_checkpoints is append-only');
end;
