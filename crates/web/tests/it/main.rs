//! Router-level tests: the real router over a fresh SQLite database, driven
//! with `oneshot`. Fixtures are built through the storage layer.

mod admission;
mod caseload;
mod contexts;
mod edt;
mod flows;
mod matrix;
mod oidc;
mod oidc_provider;
mod panel;
mod philomena;
mod privacy;
mod probing;
mod queries;
mod reports;
mod schools;
mod screening;
mod supervision;
mod two_factor;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{DateTime, TimeDelta, Utc};
use harbour_app::config::HashCost;
use harbour_app::{App, Config, FixedClock};
use harbour_db::{Db, DbOptions, children, org, records, users};
use harbour_domain::Role;
use harbour_domain::authz::system_import;
use harbour_domain::codes::Sex;
use harbour_domain::ids::*;
use harbour_domain::model::*;
use http_body_util::BodyExt;
use std::collections::HashMap;
use std::sync::Arc;
use tower::ServiceExt;

pub const PASSWORD: &str = "correct horse battery";
pub const TOTP: &str = "JBSWY3DPEHPK3PXP";

/// The test world: one user per role, and children in each relationship to the
/// social worker, manager and pod of team A.
pub struct TestApp {
    pub app: App,
    pub clock: Arc<FixedClock>,
    pub router: Router,
    pub users: HashMap<Role, User>,
    pub child_allocated: ChildId,
    pub child_team: ChildId,
    pub child_other: ChildId,
    pub child_restricted_team: ChildId,
    pub child_shared: ChildId,
    pub child_unallocated: ChildId,
    pub other_worker: UserId,
    /// Team A (the fixture users' team) and the pod serving it.
    pub team_a: TeamId,
    pub pod_a: PodId,
    /// A social worker in team A (the fixture manager's and pod's team).
    pub teammate: UserId,
    /// An open missing episode for each fixture child.
    pub episodes: HashMap<ChildId, uuid::Uuid>,
    pub _dir: tempfile::TempDir,
}

pub fn now() -> DateTime<Utc> {
    "2026-11-26T10:00:00Z".parse().unwrap()
}

fn child(n: u32, first: &str, last: &str, restricted: bool) -> Child {
    Child {
        id: ChildId::new(),
        la_child_id: format!("T{n:04}"),
        first_name: first.into(),
        last_name: last.into(),
        dob: "2011-04-02".parse().unwrap(),
        sex: Sex::F,
        ethnicity: "WBRI".into(),
        upn: None,
        nhs_number: None,
        responsible_la: "861".into(),
        host_la: None,
        school: None,
        restricted,
        created_at: now(),
    }
}

impl TestApp {
    pub async fn new() -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::connect(
            &format!("sqlite://{}/t.db", dir.path().display()),
            &DbOptions::default(),
        )
        .await
        .unwrap();
        db.migrate().await.unwrap();
        let config = Config {
            password_hash_cost: HashCost::Test,
            cookie_secure: false,
            public_origin: "http://localhost".into(),
            max_body_bytes: 64 * 1024,
            ..Config::default()
        };
        let clock = Arc::new(FixedClock::new(now()));
        let app = App::new(db.clone(), config, clock.clone());
        let mut tx = db.begin_write().await.unwrap();
        org::upsert_authority(
            &mut tx,
            &Authority {
                la_code: "861".into(),
                name: "Stoke-on-Trent".into(),
            },
        )
        .await
        .unwrap();
        let home = Organisation {
            id: OrgId::new(),
            name: "Children's social care".into(),
            kind: OrgKind::SocialCare,
            la_code: Some("861".into()),
        };
        let police = Organisation {
            id: OrgId::new(),
            name: "Police".into(),
            kind: OrgKind::Police,
            la_code: None,
        };
        let rhi = Organisation {
            id: OrgId::new(),
            name: "Return interviews".into(),
            kind: OrgKind::RhiProvider,
            la_code: None,
        };
        for o in [&home, &police, &rhi] {
            org::insert_org(&mut tx, o).await.unwrap();
        }
        let pod_a = Pod {
            id: PodId::new(),
            name: "Pod A".into(),
        };
        let pod_b = Pod {
            id: PodId::new(),
            name: "Pod B".into(),
        };
        org::insert_pod(&mut tx, &pod_a).await.unwrap();
        org::insert_pod(&mut tx, &pod_b).await.unwrap();
        let team_a = Team {
            id: TeamId::new(),
            name: "Team A".into(),
            pod_id: Some(pod_a.id),
            manager_id: None,
        };
        let team_b = Team {
            id: TeamId::new(),
            name: "Team B".into(),
            pod_id: Some(pod_b.id),
            manager_id: None,
        };
        org::insert_team(&mut tx, &team_a).await.unwrap();
        org::insert_team(&mut tx, &team_b).await.unwrap();
        let hash = harbour_app::auth::hash_password(HashCost::Test, PASSWORD).unwrap();
        let mut map = HashMap::new();
        for role in Role::ALL {
            let org_id = match role {
                Role::PartnerPractitioner => police.id,
                Role::RhiProvider => rhi.id,
                _ => home.id,
            };
            let u = User {
                id: UserId::new(),
                email: format!("{}@test.example", role.as_str()),
                name: format!("Test {}", role.label()),
                role,
                org_id,
                team_id: matches!(
                    role,
                    Role::SocialWorker | Role::TeamManager | Role::PodAdmin
                )
                .then_some(team_a.id),
                pod_id: (role == Role::PodAdmin).then_some(pod_a.id),
                fte_hundredths: 100,
                swe_number: None,
                agency: false,
                asye_start: None,
                disabled_at: None,
                totp_enabled: role.requires_totp(),
            };
            users::insert(
                &mut tx,
                &u,
                &hash,
                role.requires_totp().then_some(TOTP),
                now(),
            )
            .await
            .unwrap();
            map.insert(role, u);
        }
        org::set_team_manager(&mut tx, team_a.id, Some(map[&Role::TeamManager].id))
            .await
            .unwrap();
        let teammate = User {
            id: UserId::new(),
            email: "teammate@test.example".into(),
            name: "Teammate".into(),
            team_id: Some(team_a.id),
            ..map[&Role::SocialWorker].clone()
        };
        let other = User {
            id: UserId::new(),
            email: "other@test.example".into(),
            name: "Other Worker".into(),
            team_id: Some(team_b.id),
            ..map[&Role::SocialWorker].clone()
        };
        users::insert(&mut tx, &teammate, &hash, None, now())
            .await
            .unwrap();
        users::insert(&mut tx, &other, &hash, None, now())
            .await
            .unwrap();

        let sw = &map[&Role::SocialWorker];
        let mut episodes = HashMap::new();
        let mut make = async |n: u32,
                              first: &str,
                              restricted: bool,
                              worker: Option<&User>,
                              team: TeamId,
                              share: Option<(OrgId, ShareScope)>|
               -> ChildId {
            let c = child(n, first, "Tester", restricted);
            children::insert(&mut tx, &c, None).await.unwrap();
            children::replace_name_keys(
                &mut tx,
                c.id,
                &harbour_domain::search::name_keys(&[&c.first_name, &c.last_name]),
            )
            .await
            .unwrap();
            let ok = system_import(c.id);
            if let Some(w) = worker {
                records::insert_allocation(
                    &mut tx,
                    &ok,
                    &Allocation {
                        id: AllocationId::new(),
                        child_id: c.id,
                        worker_id: w.id,
                        worker_name: w.name.clone(),
                        team_id: Some(team),
                        start_date: "2026-01-05".parse().unwrap(),
                        end_date: None,
                        sw_reason: "FCONTA".into(),
                        recorded_by: w.id,
                        recorded_at: now(),
                    },
                )
                .await
                .unwrap();
            }
            records::insert_note(
                &mut tx,
                &ok,
                &CaseNote {
                    id: NoteId::new(),
                    child_id: c.id,
                    author_id: sw.id,
                    author_name: sw.name.clone(),
                    kind: NoteKind::Visit,
                    occurred_at: now() - TimeDelta::days(3),
                    recorded_at: now() - TimeDelta::days(2),
                    subject: format!("Visit to {first}"),
                    body: "Seen alone.".into(),
                    significant: false,
                },
            )
            .await
            .unwrap();
            let episode = harbour_domain::missing::MissingEpisode {
                id: uuid::Uuid::now_v7(),
                child_id: c.id,
                kind: harbour_domain::missing::MissingKind::Missing,
                from: harbour_domain::missing::MissingFrom::Placement,
                last_seen_at: now() - TimeDelta::hours(5),
                location_left: "Placement".into(),
                reported_at: None,
                police_ref: None,
                grade: None,
                circumstances: "Did not return".into(),
                returned_at: None,
                found_where: None,
                found_by: None,
                recorded_by: sw.id,
                recorded_at: now(),
            };
            harbour_db::missing::insert(&mut tx, &ok, &episode)
                .await
                .unwrap();
            episodes.insert(c.id, episode.id);
            if let Some((org_id, scope)) = share {
                records::insert_share(
                    &mut tx,
                    &ok,
                    &Share {
                        id: ShareId::new(),
                        child_id: c.id,
                        org_id,
                        org_name: String::new(),
                        scope,
                        reason: "Safeguarding".into(),
                        granted_by: sw.id,
                        granted_at: now(),
                        expires_at: None,
                    },
                )
                .await
                .unwrap();
            }
            c.id
        };
        let child_allocated = make(1, "Allocated", false, Some(sw), team_a.id, None).await;
        let child_team = make(2, "Teamchild", false, Some(&teammate), team_a.id, None).await;
        let child_other = make(3, "Otherchild", false, Some(&other), team_b.id, None).await;
        let child_restricted_team =
            make(4, "Restricted", true, Some(&teammate), team_a.id, None).await;
        let child_shared = make(
            5,
            "Shared",
            false,
            Some(&other),
            team_b.id,
            Some((police.id, ShareScope::Record)),
        )
        .await;
        let child_unallocated = make(6, "Waiting", false, None, team_a.id, None).await;
        records::insert_share(
            &mut tx,
            &system_import(child_shared),
            &Share {
                id: ShareId::new(),
                child_id: child_shared,
                org_id: rhi.id,
                org_name: String::new(),
                scope: ShareScope::Record,
                reason: "RHI".into(),
                granted_by: sw.id,
                granted_at: now(),
                expires_at: None,
            },
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let router = harbour_web::router(app.clone());
        TestApp {
            app,
            clock,
            router,
            users: map,
            child_allocated,
            child_team,
            child_other,
            child_restricted_team,
            child_shared,
            child_unallocated,
            other_worker: other.id,
            team_a: team_a.id,
            pod_a: pod_a.id,
            teammate: teammate.id,
            episodes,
            _dir: dir,
        }
    }

    /// Send a request.
    pub async fn send(&self, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, String) {
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let body = res.into_body().collect().await.unwrap().to_bytes();
        (status, headers, String::from_utf8_lossy(&body).into_owned())
    }

    /// Sign in as a role and return the session cookie.
    pub async fn sign_in(&self, role: Role) -> String {
        let email = self.users[&role].email.clone();
        self.sign_in_as(&email, role).await
    }

    /// Sign in any test user by email.
    pub async fn sign_in_as(&self, email: &str, role: Role) -> String {
        let code = if role.requires_totp() {
            harbour_app::auth::totp_at(
                &harbour_app::auth::base32_decode(TOTP).unwrap(),
                now().timestamp() / 30,
            )
        } else {
            String::new()
        };
        let body = format!(
            "email={}&password={}&code={code}",
            email,
            PASSWORD.replace(' ', "+")
        );
        let (status, headers, page) = self.send(form("/sign-in", &body, None)).await;
        assert_eq!(
            status,
            StatusCode::SEE_OTHER,
            "sign-in as {role:?} failed: {page}"
        );
        let c = headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
        c.split(';').next().unwrap().to_string()
    }

    /// How many audit rows there are.
    pub async fn audit_count(&self) -> i64 {
        let mut tx = self.app.db.begin_read().await.unwrap();
        let (n, _) = harbour_db::audit::head(&mut tx).await.unwrap();
        n
    }
}

/// A same-origin form POST.
pub fn form(path: &str, body: &str, cookie: Option<&str>) -> Request<Body> {
    let mut b = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin");
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    b.body(Body::from(body.to_string())).unwrap()
}

/// A GET.
pub fn get(path: &str, cookie: Option<&str>) -> Request<Body> {
    let mut b = Request::get(path);
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    b.body(Body::empty()).unwrap()
}

/// A local SMTP sink: accepts every message and keeps its text, so tests
/// exercise the real SMTP client against a server on this machine.
pub struct SmtpSink {
    pub port: u16,
    pub mails: Arc<std::sync::Mutex<Vec<String>>>,
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let mails: Arc<std::sync::Mutex<Vec<String>>> = Arc::default();
        let store = mails.clone();
        tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                let store = store.clone();
                tokio::spawn(async move {
                    let (r, mut w) = sock.into_split();
                    let mut lines = BufReader::new(r).lines();
                    w.write_all(b"220 sink ESMTP\r\n").await.ok();
                    let mut data: Option<String> = None;
                    while let Ok(Some(line)) = lines.next_line().await {
                        if let Some(buf) = data.as_mut() {
                            if line == "." {
                                store.lock().unwrap().push(data.take().unwrap());
                                w.write_all(b"250 queued\r\n").await.ok();
                            } else {
                                buf.push_str(&line);
                                buf.push('\n');
                            }
                            continue;
                        }
                        let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
                        let reply: &[u8] = match verb.as_str() {
                            "EHLO" | "HELO" => b"250 sink\r\n",
                            "DATA" => {
                                data = Some(String::new());
                                b"354 end with .\r\n"
                            }
                            "QUIT" => {
                                w.write_all(b"221 bye\r\n").await.ok();
                                break;
                            }
                            _ => b"250 OK\r\n",
                        };
                        w.write_all(reply).await.ok();
                    }
                });
            }
        });
        SmtpSink { port, mails }
    }

    /// The messages, with quoted-printable soft line breaks joined.
    pub fn mails(&self) -> Vec<String> {
        self.mails
            .lock()
            .unwrap()
            .iter()
            .map(|m| m.replace("=\n", "").replace("=3D", "="))
            .collect()
    }
}

impl TestApp {
    /// Rebuild the app and router with changed configuration (same database and clock).
    pub fn reconfigure(&mut self, f: impl FnOnce(&mut Config)) {
        let mut c = (*self.app.config).clone();
        f(&mut c);
        self.app = App::new(self.app.db.clone(), c, self.clock.clone());
        self.router = harbour_web::router(self.app.clone());
    }
}
