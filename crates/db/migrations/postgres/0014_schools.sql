-- Schools partnership and children missing education (PostgreSQL).
-- Keep in step with ../sqlite/0014_schools.sql.

-- A school, by its unique reference number. org_id: the organisation its
-- own staff sign in under (partner practitioners see their own school).
create table schools (
    id uuid primary key,
    urn text not null unique,
    name text not null,
    phase text not null,
    la_code text not null,
    org_id uuid references organisations (id),
    created_at timestamptz not null
);
create index schools_org on schools (org_id);

-- Designated teachers and designated safeguarding leads. user_id: their
-- Harbour account, if any; supervisor_id: the social-care manager who
-- supervises a designated teacher (schools partnership).
create table school_staff (
    id uuid primary key,
    school_id uuid not null references schools (id),
    name text not null,
    role text not null check (role in ('designated_teacher', 'dsl', 'deputy_dsl')),
    email text not null,
    phone text not null,
    user_id uuid references users (id),
    supervisor_id uuid references users (id),
    created_at timestamptz not null
);
create index school_staff_school on school_staff (school_id);
create index school_staff_user on school_staff (user_id);

-- Partnership membership periods.
create table school_memberships (
    id uuid primary key,
    school_id uuid not null references schools (id),
    joined_on date not null,
    left_on date,
    recorded_by uuid not null references users (id),
    recorded_at timestamptz not null,
    check (left_on is null or left_on >= joined_on)
);
create index school_memberships_school on school_memberships (school_id);

-- Contacts and referrals from schools, with the front door's outcome.
create table school_contacts (
    id uuid primary key,
    school_id uuid not null references schools (id),
    child_id uuid references children (id),
    received_at timestamptz not null,
    kind text not null check (kind in ('consultation', 'referral')),
    contact_name text not null,
    summary text not null,
    outcome text not null,
    recorded_by uuid not null references users (id),
    recorded_at timestamptz not null
);
create index school_contacts_school on school_contacts (school_id, received_at);
create index school_contacts_child on school_contacts (child_id);

-- Notices from schools: new registrations and deletions from roll.
create table cme_notices (
    id uuid primary key,
    school_id uuid not null references schools (id),
    kind text not null check (kind in ('registration', 'deletion')),
    pupil_name text not null,
    pupil_dob date,
    upn text,
    event_on date not null,
    notified_on date not null,
    ground text,
    destination text not null,
    recorded_by uuid not null references users (id),
    recorded_at timestamptz not null,
    check ((kind = 'deletion') = (ground is not null))
);
create index cme_notices_school on cme_notices (school_id, notified_on);
create index cme_notices_notified on cme_notices (notified_on);

-- Children missing education cases, on a child's record.
create table cme_cases (
    id uuid primary key,
    child_id uuid not null references children (id),
    school_id uuid references schools (id),
    notice_id uuid references cme_notices (id),
    episode_id uuid references missing_episodes (id),
    opened_on date not null,
    reason text not null,
    opened_by uuid not null references users (id),
    opened_at timestamptz not null,
    outcome text,
    outcome_on date,
    outcome_notes text,
    closed_by uuid references users (id),
    check ((outcome is null) = (outcome_on is null))
);
create index cme_cases_child on cme_cases (child_id);
create index cme_cases_open on cme_cases (opened_on) where outcome is null;

-- Enquiry steps in a CME case: dated, by whom, with what result.
create table cme_steps (
    id uuid primary key,
    case_id uuid not null references cme_cases (id),
    kind text not null,
    done_on date not null,
    done_by text not null,
    result text not null,
    recorded_by uuid not null references users (id),
    recorded_at timestamptz not null
);
create index cme_steps_case on cme_steps (case_id, done_on);
