-- Single sign-on with OpenID Connect (issue 9 §3). An account is linked to
-- one identity at the council's identity provider (issuer + subject), set at
-- its first single sign-on; every later sign-on must present the same one.
alter table users add column oidc_issuer text;
alter table users add column oidc_subject text;
create unique index users_oidc_identity on users (oidc_issuer, oidc_subject);

-- A sign-on in progress: the browser went to the identity provider and has
-- not come back yet. Keyed by the SHA-256 of the state value (the browser
-- holds the value in a cookie), single use, ten minutes. In the database so
-- the callback may reach another instance.
create table oidc_logins (
    state_hash text primary key,
    nonce text not null,
    code_verifier text not null,
    next_path text not null,
    created_at text not null,
    expires_at text not null
);
create index oidc_logins_expires on oidc_logins (expires_at);
