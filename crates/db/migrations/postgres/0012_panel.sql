-- The exploitation and missing panel (MACE) and strategy discussions:
-- referrals, meetings, attendance, each child's discussion, actions across
-- agencies; and the information-sharing log (every disclosure or refusal).

create table panel_referrals (
    id uuid primary key,
    child_id uuid not null references children (id),
    panel_type text not null,
    referred_by uuid not null references users (id),
    referred_at timestamptz not null,
    reason text not null,
    risk text not null,
    basis text not null,
    consent text not null,
    next_review date,
    first_discussed date,
    closed_at timestamptz,
    closed_by uuid references users (id),
    closure_reason text
);
create index panel_referrals_child on panel_referrals (child_id);

create table panel_meetings (
    id uuid primary key,
    panel_type text not null,
    held_on date not null,
    chair text not null,
    created_by uuid not null references users (id),
    created_at timestamptz not null
);

create table panel_attendees (
    id uuid primary key,
    meeting_id uuid not null references panel_meetings (id),
    org_id uuid references organisations (id),
    name text not null,
    agency text not null
);
create index panel_attendees_meeting on panel_attendees (meeting_id);

create table panel_discussions (
    id uuid primary key,
    meeting_id uuid not null references panel_meetings (id),
    referral_id uuid not null references panel_referrals (id),
    child_id uuid not null references children (id),
    discussion text not null,
    risk text not null,
    decisions text not null,
    next_review date not null,
    recorded_by uuid not null references users (id),
    recorded_at timestamptz not null
);
create index panel_discussions_child on panel_discussions (child_id);
create index panel_discussions_meeting on panel_discussions (meeting_id);

create table panel_actions (
    id uuid primary key,
    meeting_id uuid not null references panel_meetings (id),
    referral_id uuid not null references panel_referrals (id),
    child_id uuid not null references children (id),
    kind text not null,
    description text not null,
    owner_org uuid references organisations (id),
    owner_user uuid references users (id),
    due_on date not null,
    status text not null,
    notes text not null,
    created_at timestamptz not null,
    updated_by uuid references users (id),
    updated_at timestamptz,
    check (owner_org is not null or owner_user is not null)
);
create index panel_actions_org on panel_actions (owner_org, due_on);
create index panel_actions_meeting on panel_actions (meeting_id);

create table disclosures (
    id uuid primary key,
    child_id uuid not null references children (id),
    outcome text not null,
    recipient_org uuid references organisations (id),
    recipient text not null,
    what text not null,
    why text not null,
    basis text,
    decided_by uuid not null references users (id),
    decided_at timestamptz not null,
    source text not null,
    check (outcome = 'refused' or basis is not null)
);
create index disclosures_child on disclosures (child_id, decided_at);
create index disclosures_at on disclosures (decided_at);
