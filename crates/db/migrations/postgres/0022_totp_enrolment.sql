-- TOTP enrolment: a secret generated for the account page is held here until
-- the user confirms it with a code; only then does it replace totp_secret.
alter table users add column totp_pending_secret text;
