-- The last TOTP time step accepted for each user, so a code cannot be used twice.
alter table users add column totp_last_step bigint;
