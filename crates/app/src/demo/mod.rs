//! The demo authority: invented people in a fictional version of a real
//! authority, loaded into an empty database by `harbour demo` or
//! `harbour serve --demo`. The data comes from [`generate`], a seeded,
//! pure generator, so every load is the same; its missing history
//! (episodes, interviews, findings shared) from [`missing`], likewise pure.

pub mod caseload;
pub mod contexts;
pub mod edt;
pub mod generate;
pub mod missing;
pub mod panel;
mod postcodes;
pub mod privacy;
pub mod reports;
pub mod scale;
pub mod schools;
pub mod screening;
pub mod ssda903;
pub mod supervision;

use crate::admin::system_event;
use crate::auth::{generate_password, hash_password};
use crate::{App, AppError, AppResult};
use harbour_db::{children, findings, org, records, users};
use harbour_domain::Role;
use harbour_domain::authz::system_import;
use harbour_domain::la_codes::LA_CODES;
use harbour_domain::model::{Authority, OrgKind};
use harbour_domain::search::name_keys;

/// The password of every demo sign-in.
pub const DEMO_PASSWORD: &str = "harbour-demo";
/// The TOTP secret of the demo sysadmin and privacy officer (base32).
pub const DEMO_TOTP_SECRET: &str = "JBSWY3DPEHPK3PXP";
/// The generator's seed for the demo authority.
pub const DEMO_SEED: u64 = 861;

/// One demo sign-in to print.
#[derive(Clone, Debug)]
pub struct DemoSignIn {
    /// Role.
    pub role: Role,
    /// Email.
    pub email: String,
    /// Name.
    pub name: String,
    /// Whether a TOTP code is needed.
    pub totp: bool,
}

/// What was loaded.
#[derive(Clone, Debug)]
pub struct DemoSummary {
    /// Children loaded.
    pub children: usize,
    /// Staff loaded.
    pub staff: usize,
    /// One sign-in per role, then the placing authority's practitioner.
    pub sign_ins: Vec<DemoSignIn>,
    /// The missing history loaded.
    pub missing: missing::MissingLoaded,
}

impl App {
    /// Load the demo authority. Refuses a database that already holds children.
    pub async fn load_demo(&self) -> AppResult<DemoSummary> {
        self.load_demo_seeded(DEMO_SEED).await
    }

    /// Load a demo authority generated from another seed: the same shape
    /// and stories with different invented children, histories and
    /// figures (used to check the SSDA903 export on generated data).
    pub async fn load_demo_seeded(&self, seed: u64) -> AppResult<DemoSummary> {
        let now = self.now();
        let mut data = generate::generate(seed, now);
        let today = harbour_domain::calendar::london_date(now);
        let supervision = supervision::plan(&mut data, now);
        let extras = caseload::shape(&mut data, today, &self.config.caseload);
        // The schools' designated teachers before the placing authority's
        // practitioner, whose sign-in is listed last.
        let teachers = schools::school_users(&data);
        data.users.extend(teachers);
        let mut supervision = supervision;
        supervision
            .oversight
            .extend(supervision::team_oversight(&data, now));
        data.users
            .extend(missing::placing_authority_user(&data, seed));
        let history = missing::generate(&data, seed, now);
        let ctxs = contexts::generate(&data, &history, now);
        let care_details = ssda903::shape(&mut data, today);
        let mut tx = self.db.begin_write().await?;
        if !org::is_empty(&mut tx).await? || !users::list(&mut tx).await?.is_empty() {
            return Err(AppError::Conflict(
                "The database already holds records; demo data loads only into an empty database."
                    .into(),
            ));
        }
        for (code, name) in LA_CODES {
            org::upsert_authority(
                &mut tx,
                &Authority {
                    la_code: code.to_string(),
                    name: name.to_string(),
                },
            )
            .await?;
        }
        org::upsert_authority(&mut tx, &data.authority).await?;
        for a in &data.other_authorities {
            org::upsert_authority(&mut tx, a).await?;
        }
        for o in &data.orgs {
            org::insert_org(&mut tx, o).await?;
        }
        for p in &data.pods {
            org::insert_pod(&mut tx, p).await?;
        }
        for t in &data.teams {
            let mut t = t.clone();
            t.manager_id = None;
            org::insert_team(&mut tx, &t).await?;
        }
        let cost = self.config.password_hash_cost;
        let demo_hash = hash_password(cost, DEMO_PASSWORD)?;
        // Staff other than the demo sign-ins share one hash of a random password nobody knows.
        let locked_hash = hash_password(cost, &generate_password())?;
        let mut sign_ins = Vec::new();
        for u in &data.users {
            let is_demo = u.email.ends_with("@demo.harbour.test");
            let totp = (is_demo && u.role.requires_totp()).then_some(DEMO_TOTP_SECRET);
            users::insert(
                &mut tx,
                u,
                if is_demo { &demo_hash } else { &locked_hash },
                totp,
                now,
            )
            .await?;
            if is_demo {
                sign_ins.push(DemoSignIn {
                    role: u.role,
                    email: u.email.clone(),
                    name: u.name.clone(),
                    totp: totp.is_some(),
                });
            }
        }
        for t in &data.teams {
            org::set_team_manager(&mut tx, t.id, t.manager_id).await?;
        }
        for dc in &data.children {
            let c = &dc.child;
            children::insert(&mut tx, c, None).await?;
            let mut names: Vec<&str> = vec![&c.first_name, &c.last_name];
            names.extend(dc.aliases.iter().map(|a| a.name.as_str()));
            children::replace_name_keys(&mut tx, c.id, &name_keys(&names)).await?;
            for a in &dc.aliases {
                children::insert_alias(&mut tx, c.id, a).await?;
            }
            let ok = system_import(c.id);
            for x in &dc.addresses {
                records::insert_address(&mut tx, &ok, x).await?;
            }
            for x in &dc.legal_statuses {
                records::insert_legal_status(&mut tx, &ok, x).await?;
            }
            for x in &dc.placements {
                records::insert_placement(&mut tx, &ok, x).await?;
            }
            for x in &dc.relationships {
                records::insert_relationship(&mut tx, &ok, x).await?;
            }
            for x in &dc.allocations {
                records::insert_allocation(&mut tx, &ok, x).await?;
            }
            for x in &dc.notes {
                records::insert_note(&mut tx, &ok, x).await?;
            }
            for x in &dc.decisions {
                records::insert_decision(&mut tx, &ok, x).await?;
            }
            for x in &dc.alerts {
                records::insert_alert(&mut tx, &ok, x).await?;
            }
            for x in &dc.shares {
                records::insert_share(&mut tx, &ok, x).await?;
            }
            for x in &dc.philomena {
                harbour_db::philomena::insert(&mut tx, &ok, x).await?;
            }
        }
        // Where the police and the other authorities get their notifications.
        for o in &data.orgs {
            let who = match (o.kind, o.la_code.as_deref()) {
                (OrgKind::Police, _) => "police".to_string(),
                (OrgKind::OtherAuthority, Some(la)) => {
                    generate::la_display(la).to_lowercase().replace(' ', "-")
                }
                _ => continue,
            };
            let email = format!("missing-notifications@{who}-demo.harbour.test");
            findings::set_notify_email(&mut tx, o.id, Some(&email)).await?;
        }
        self.load_demo_ssda903(&mut tx, &care_details).await?;
        let loaded = self
            .load_demo_missing(&mut tx, &data, &history, now)
            .await?;
        for (child, since) in &extras.court_work {
            harbour_db::caseload::set_court_work(
                &mut tx,
                &system_import(*child),
                *since,
                None,
                now,
            )
            .await?;
        }
        // Twelve weeks of caseload history, then this week's real snapshot.
        let loads = self.loads(&mut tx).await?;
        let week = crate::caseload::iso_week(today);
        let rows: Vec<_> = loads
            .workers
            .iter()
            .map(|w| crate::caseload::snapshot_row(&week, w))
            .collect();
        for r in caseload::history(today, &rows).iter().chain(&rows) {
            harbour_db::caseload::insert_snapshot(&mut tx, r, now).await?;
        }
        // The ASYE worker's latest allocation went over the protected cap:
        // the team manager overrode it with a reason, so the team's
        // override report has the story in it.
        if let Some(w) = loads
            .workers
            .iter()
            .find(|w| w.asye && w.points > w.capacity)
            && let Some((c, a)) = data
                .children
                .iter()
                .filter(|c| !c.child.restricted)
                .filter_map(|c| {
                    c.allocations
                        .iter()
                        .find(|a| a.worker_id == w.id && a.end_date.is_none())
                        .map(|a| (c, a))
                })
                .max_by_key(|(_, a)| a.start_date)
            && let Some(manager) = data
                .teams
                .iter()
                .find(|t| Some(t.id) == w.team_id)
                .and_then(|t| t.manager_id)
        {
            let o = harbour_db::caseload::NewOverride {
                id: uuid::Uuid::from_u128(a.id.0.as_u128() ^ 0x0e5),
                allocation_id: a.id,
                worker_id: w.id,
                team_id: w.team_id,
                breach: harbour_domain::caseload::Breach::AsyeCap.as_str(),
                projected_points: w.points as i32,
                capacity_points: w.capacity as i32,
                reason: "Sibling of a child already with this worker, who has built a relationship with the family; the heaviest case moves to an experienced colleague by the end of the month.".into(),
                approved_by: manager,
                recorded_at: a
                    .start_date
                    .and_hms_opt(11, 0, 0)
                    .map(|t| t.and_utc())
                    .unwrap_or(now),
            };
            harbour_db::caseload::insert_override(&mut tx, &system_import(c.child.id), &o).await?;
        }
        self.load_demo_supervision(&mut tx, &supervision).await?;
        for s in reports::supervision_history(&data, now) {
            harbour_db::supervision::insert_session(&mut tx, &s).await?;
        }
        let screening = screening::generate(&data, &history, seed, now, &self.config.screening);
        self.load_demo_screening(&mut tx, &screening).await?;
        self.load_demo_contexts(&mut tx, &ctxs).await?;
        let panel_history = panel::generate(&data, seed, now);
        let panel_referrals = self.load_demo_panel(&mut tx, &panel_history).await?;
        let schools_plan = schools::plan(&data, &history, now);
        self.load_demo_schools(&mut tx, &schools_plan).await?;
        self.load_demo_edt(&mut tx, &edt::generate(&data, &history, now))
            .await?;
        let privacy_plan = privacy::plan(&data, now);
        for (c, statuses) in &privacy_plan.legacy {
            children::insert(&mut tx, c, None).await?;
            children::replace_name_keys(&mut tx, c.id, &name_keys(&[&c.first_name, &c.last_name]))
                .await?;
            for l in statuses {
                records::insert_legal_status(&mut tx, &system_import(c.id), l).await?;
            }
        }
        if let Some(r) = &privacy_plan.request {
            harbour_db::privacy::insert_request(&mut tx, r).await?;
        }
        let summary = DemoSummary {
            children: data.children.len(),
            staff: data.users.len(),
            sign_ins,
            missing: loaded,
        };
        self.audit(
            &mut tx,
            &system_event(
                "demo.load",
                "service",
                None,
                Some(format!(
                    "{} children, {} staff, {} missing episodes ({} open), {} return interviews, {} notifications, {} panel referrals",
                    summary.children,
                    summary.staff,
                    loaded.episodes,
                    loaded.missing_now,
                    loaded.interviews,
                    loaded.notifications,
                    panel_referrals
                )),
            ),
        )
        .await?;
        tx.commit().await?;
        let mut s = summary;
        // One per role in role order, then any others (the placing authority's).
        s.sign_ins.sort_by_key(|d| {
            (
                d.email != generate::sign_in_email(d.role),
                Role::ALL.iter().position(|r| *r == d.role),
            )
        });
        Ok(s)
    }

    async fn load_demo_ssda903(
        &self,
        tx: &mut harbour_db::Tx,
        d: &ssda903::Details,
    ) -> AppResult<()> {
        harbour_db::ssda903::write_demo_details(tx, &d.statuses, &d.placements).await?;
        harbour_db::ssda903::write_demo_mothers(tx, generate::HOME_LA).await?;
        Ok(())
    }

    async fn load_demo_supervision(
        &self,
        tx: &mut harbour_db::Tx,
        p: &supervision::DemoSupervision,
    ) -> AppResult<()> {
        use harbour_db::supervision as sv;
        use harbour_domain::supervision::{ActionStatus, CaseDiscussion, SessionStatus};
        for s in &p.sessions {
            sv::insert_session(tx, &s.session).await?;
            if let Some(who) = p.attendees.get(&s.session.id) {
                sv::set_attendees(tx, s.session.id, who).await?;
            }
            for (i, (child, analysis, decisions)) in s.discussions.iter().enumerate() {
                let d = CaseDiscussion {
                    id: uuid::Uuid::from_u128(s.session.id.as_u128() ^ (0x100 + i as u128)),
                    session_id: s.session.id,
                    child_id: *child,
                    analysis: analysis.clone(),
                    decisions: decisions.clone(),
                };
                sv::insert_discussion_for(
                    tx,
                    &system_import(*child),
                    &d,
                    i32::try_from(i).unwrap_or(0),
                    p.discussion_workers.get(&(s.session.id, *child)).copied(),
                )
                .await?;
            }
            for (i, a) in s.actions.iter().enumerate() {
                let ok = a.child_id.map(system_import);
                let continues = s
                    .continues
                    .iter()
                    .find(|(new, _)| *new == a.id)
                    .map(|(_, old)| *old);
                sv::insert_action(tx, ok.as_ref(), a, i32::try_from(i).unwrap_or(0), continues)
                    .await?;
                if s.session.status == SessionStatus::SignedOff && a.status == ActionStatus::Open {
                    let t = harbour_domain::model::Task {
                        id: uuid::Uuid::from_u128(a.id.as_u128() ^ 0x7a5c),
                        child_id: a.child_id,
                        assigned_user: Some(a.owner_id),
                        assigned_role: None,
                        kind: "supervision.action".into(),
                        title: "Action from supervision".into(),
                        detail: a.text.clone(),
                        due_at: a
                            .due
                            .and_hms_opt(17, 0, 0)
                            .map(|t| t.and_utc())
                            .unwrap_or(s.session.held_at),
                        source_id: Some(a.id),
                        created_at: s.session.held_at,
                        completed_at: None,
                    };
                    harbour_db::tasks::insert(tx, &t, None).await?;
                }
            }
        }
        // Reviews once every action they review is in.
        for s in &p.sessions {
            for r in &s.reviews {
                sv::insert_review(tx, s.session.id, r).await?;
            }
        }
        for e in &p.oversight {
            sv::insert_oversight(tx, &system_import(e.child_id), e).await?;
        }
        Ok(())
    }
}
