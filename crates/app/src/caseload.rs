//! Weighted caseloads: each worker's raw count and weighted load, the
//! worker, team, pod and service dashboards, weekly snapshots and their
//! trend, workforce planning, and the capacity each candidate would have
//! after an allocation. The weighting itself is pure
//! (`harbour_domain::caseload`); this module gathers the facts.

use crate::admin::system_event;
use crate::{App, AppError, AppResult, Ctx};
use chrono::{Datelike, NaiveDate, TimeDelta};
use harbour_db::Tx;
use harbour_db::caseload::{self as repo, CaseRow, LeaverRow, OverrideRow, SnapshotRow, WorkerRow};
use harbour_domain::audit::Outcome;
use harbour_domain::authz::{self, Allowed, CaseloadScope, ServiceAction};
use harbour_domain::calendar;
use harbour_domain::caseload::*;
use harbour_domain::ids::*;
use harbour_domain::validate::FieldErrors;
use std::collections::HashMap;
use uuid::Uuid;

/// One child in a worker's caseload.
#[derive(Clone, Debug)]
pub struct CaseLine {
    /// The child.
    pub child_id: ChildId,
    /// Name, or "Restricted record" for a viewer who may not see it.
    pub name: String,
    /// The authority's child id.
    pub la_child_id: String,
    /// Restricted.
    pub restricted: bool,
    /// Case type and phase.
    pub case_type: CaseType,
    /// Weight and why.
    pub weight: Weight,
}

/// One worker's load.
#[derive(Clone, Debug)]
pub struct WorkerLoad {
    /// The worker.
    pub id: UserId,
    /// Name.
    pub name: String,
    /// Team.
    pub team_id: Option<TeamId>,
    /// Team name.
    pub team_name: Option<String>,
    /// The pod serving the team.
    pub pod_id: Option<PodId>,
    /// The team's manager.
    pub manager_id: Option<UserId>,
    /// FTE in hundredths.
    pub fte_hundredths: i32,
    /// Agency worker.
    pub agency: bool,
    /// In the ASYE year.
    pub asye: bool,
    /// Raw count of children (the DfE census figure).
    pub children: u32,
    /// Weighted points.
    pub points: u32,
    /// Capacity in points.
    pub capacity: u32,
    /// Points as a percentage of capacity.
    pub percent: u32,
    /// Green, amber or red.
    pub status: Status,
    /// The cases, weighed.
    pub cases: Vec<CaseLine>,
}

/// Figures for a group of workers (a team, a pod, the service).
#[derive(Clone, Debug, Default)]
pub struct GroupFigures {
    /// Workers holding or able to hold cases.
    pub workers: usize,
    /// Children.
    pub children: u32,
    /// Points.
    pub points: u32,
    /// Capacity.
    pub capacity: u32,
    /// Workers green, amber, red.
    pub green: usize,
    /// Amber.
    pub amber: usize,
    /// Red.
    pub red: usize,
    /// ASYE workers over their protected cap.
    pub asye_over_cap: usize,
    /// Mean children per case-holding worker, one decimal place.
    pub mean_children: String,
}

impl GroupFigures {
    fn of<'a>(ws: impl Iterator<Item = &'a WorkerLoad>) -> Self {
        let mut g = GroupFigures::default();
        let mut holding = 0;
        for w in ws {
            g.workers += 1;
            g.children += w.children;
            g.points += w.points;
            g.capacity += w.capacity;
            holding += usize::from(w.children > 0);
            match w.status {
                Status::Green => g.green += 1,
                Status::Amber => g.amber += 1,
                Status::Red => {
                    g.red += 1;
                    g.asye_over_cap += usize::from(w.asye);
                }
            }
        }
        g.mean_children = if holding == 0 {
            "0".into()
        } else {
            format!("{:.1}", g.children as f64 / holding as f64)
        };
        g
    }
    /// Points as a percentage of capacity.
    pub fn percent(&self) -> u32 {
        percent_of(self.points, self.capacity)
    }
}

/// A team's figures.
#[derive(Clone, Debug)]
pub struct TeamFigures {
    /// Team id.
    pub id: TeamId,
    /// Name.
    pub name: String,
    /// Pod name.
    pub pod_name: Option<String>,
    /// Figures.
    pub figures: GroupFigures,
}

/// One week of the trend.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrendPoint {
    /// ISO week.
    pub week: String,
    /// Children.
    pub children: i64,
    /// Points.
    pub points: i64,
    /// Capacity.
    pub capacity: i64,
    /// Workers red that week.
    pub red: i64,
}

/// A dashboard: a team, a pod or the service.
#[derive(Clone, Debug)]
pub struct Dashboard {
    /// What it covers, for the heading.
    pub title: String,
    /// `team`, `pod` or `service`.
    pub scope: &'static str,
    /// The team (team dashboards).
    pub team_id: Option<TeamId>,
    /// Totals.
    pub totals: GroupFigures,
    /// Per team (pod and service dashboards).
    pub teams: Vec<TeamFigures>,
    /// Per worker, most loaded first.
    pub workers: Vec<WorkerLoad>,
    /// Overrides in the last 12 months (team dashboards).
    pub overrides: Vec<OverrideRow>,
    /// The last 12 weeks.
    pub trend: Vec<TrendPoint>,
    /// The viewer may re-allocate a worker's children (team manager).
    pub may_reallocate: bool,
    /// The configuration in use.
    pub config: WeightingConfig,
}

/// A worker's own caseload page.
#[derive(Clone, Debug)]
pub struct WorkerCaseload {
    /// The viewer may move these children in one go (a leaver or a long
    /// absence).
    pub may_reallocate: bool,
    /// The worker and their cases.
    pub worker: WorkerLoad,
    /// The viewer is the worker.
    pub mine: bool,
    /// The configuration in use.
    pub config: WeightingConfig,
    /// The trend of this worker's figures.
    pub trend: Vec<TrendPoint>,
}

/// A candidate on the allocation form.
#[derive(Clone, Debug)]
pub struct Candidate {
    /// Current figures (cases left empty).
    pub worker: WorkerLoad,
    /// Points after the allocation.
    pub projected: u32,
    /// As a percentage of capacity.
    pub projected_percent: u32,
    /// Status after.
    pub projected_status: Status,
    /// What it would breach.
    pub breach: Option<Breach>,
    /// Already the child's worker.
    pub current: bool,
}

/// One child in a bulk re-allocation: the child and every candidate's load
/// now and with this child.
#[derive(Clone, Debug)]
pub struct BulkChild {
    /// The child as on the leaving worker's caseload.
    pub case: CaseLine,
    /// Each candidate (not the leaving worker), the manager's team first.
    pub candidates: Vec<Candidate>,
}

/// The bulk re-allocation page: a leaver's or an absent worker's children.
#[derive(Clone, Debug)]
pub struct BulkPlan {
    /// The worker whose children move (cases listed).
    pub from: WorkerLoad,
    /// Each child with its candidates.
    pub children: Vec<BulkChild>,
    /// Each candidate's load now and if they took every one of the children.
    pub all: Vec<Candidate>,
}

/// What the bulk re-allocation form sends.
#[derive(Clone, Debug, Default)]
pub struct BulkReallocateInput {
    /// One worker for every child without a choice of their own.
    pub all: String,
    /// A worker per child (empty: the one for all).
    pub per_child: Vec<(ChildId, String)>,
    /// The SW_REASON code for every change.
    pub sw_reason: String,
    /// Start date.
    pub day: String,
    /// Month.
    pub month: String,
    /// Year.
    pub year: String,
    /// The manager's reason where a move breaches a cap or the red threshold.
    pub override_reason: String,
}

/// The court work form: whether care proceedings are under way.
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
pub struct CourtWorkInput {
    /// "start" (proceedings under way since the date) or "end".
    #[serde(default)]
    pub change: String,
    /// Since: day.
    #[serde(default)]
    pub day: String,
    /// Month.
    #[serde(default)]
    pub month: String,
    /// Year.
    #[serde(default)]
    pub year: String,
}

/// A child's court work as the form shows it.
#[derive(Clone, Debug)]
pub struct CourtWorkView {
    /// The child.
    pub child: harbour_domain::model::Child,
    /// Proceedings recorded now, if any.
    pub current: Option<repo::CourtWork>,
}

/// A team's establishment and staffing.
#[derive(Clone, Debug)]
pub struct WorkforceTeam {
    /// Team.
    pub id: TeamId,
    /// Name.
    pub name: String,
    /// Funded FTE in hundredths, if set.
    pub establishment: Option<i32>,
    /// Filled FTE in hundredths (case-holding staff, agency included).
    pub filled: i32,
    /// Of which agency.
    pub agency: i32,
    /// Vacancies (establishment minus filled), in hundredths; negative is over establishment.
    pub vacancy: Option<i32>,
    /// Headcount.
    pub headcount: usize,
    /// ASYE workers.
    pub asye: usize,
}

/// A leaver, for workforce planning.
#[derive(Clone, Debug)]
pub struct Leaver {
    /// Row.
    pub row: LeaverRow,
    /// Team name.
    pub team_name: Option<String>,
}

/// The workforce planning page.
#[derive(Clone, Debug)]
pub struct Workforce {
    /// Per team.
    pub teams: Vec<WorkforceTeam>,
    /// Service totals: establishment, filled, agency (hundredths).
    pub totals: (i32, i32, i32),
    /// Leavers in the last 12 months.
    pub leavers: Vec<Leaver>,
    /// Allocations started per week, the last 8 weeks, oldest first.
    pub weekly_new: Vec<(String, u32)>,
    /// Capacity against demand.
    pub forecast: Forecast,
    /// Case-holding staff and their load.
    pub totals_now: GroupFigures,
    /// The viewer may change establishments.
    pub may_edit: bool,
}

/// The ISO week of a date, `2026-W48`.
pub fn iso_week(d: NaiveDate) -> String {
    let w = d.iso_week();
    format!("{}-W{:02}", w.year(), w.week())
}

/// Everything needed to weigh every caseload now.
pub(crate) struct Loads {
    pub workers: Vec<WorkerLoad>,
    /// Open cases by child (with their worker).
    pub cases: HashMap<Uuid, CaseRow>,
    /// Sibling group of each child that has siblings with the same worker.
    pub groups: HashMap<Uuid, u64>,
}

fn facts_of(cfg: &WeightingConfig, r: &CaseRow, group: Option<u64>) -> CaseFacts {
    let _ = cfg;
    CaseFacts {
        case_type: CaseType::from_status(r.status.as_deref(), r.court_work),
        exploitation: RiskLevel::from_interview_signs(r.exploitation_signs > 0),
        recent_missing: r.recent_missing.max(0) as u32,
        sibling_group: group,
    }
}

/// Union-find over sibling pairs: each child's group key.
fn sibling_groups(pairs: &[(Uuid, Uuid)]) -> HashMap<Uuid, u64> {
    let mut parent: HashMap<Uuid, Uuid> = HashMap::new();
    fn find(p: &mut HashMap<Uuid, Uuid>, x: Uuid) -> Uuid {
        let mut r = x;
        while let Some(&up) = p.get(&r) {
            if up == r {
                break;
            }
            r = up;
        }
        p.insert(x, r);
        r
    }
    for &(a, b) in pairs {
        parent.entry(a).or_insert(a);
        parent.entry(b).or_insert(b);
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            parent.insert(hi, lo);
        }
    }
    let keys: Vec<Uuid> = parent.keys().copied().collect();
    keys.into_iter()
        .map(|k| {
            let root = find(&mut parent, k);
            (k, root.as_u128() as u64)
        })
        .collect()
}

fn load_of(
    cfg: &WeightingConfig,
    w: &WorkerRow,
    today: NaiveDate,
    rows: &[&CaseRow],
    groups: &HashMap<Uuid, u64>,
) -> WorkerLoad {
    let facts: Vec<CaseFacts> = rows
        .iter()
        .map(|r| facts_of(cfg, r, groups.get(&r.child_id).copied()))
        .collect();
    let weights = weigh_caseload(cfg, &facts);
    let asye = in_asye(w.asye_start, today);
    let cap = capacity(cfg, w.fte_hundredths, asye);
    let points: u32 = weights.iter().map(|x| x.points).sum();
    let mut cases: Vec<CaseLine> = rows
        .iter()
        .zip(facts.iter().zip(weights))
        .map(|(r, (f, weight))| CaseLine {
            child_id: ChildId(r.child_id),
            name: format!("{} {}", r.first_name, r.last_name),
            la_child_id: r.la_child_id.clone(),
            restricted: r.restricted,
            case_type: f.case_type,
            weight,
        })
        .collect();
    cases.sort_by(|a, b| {
        b.weight
            .points
            .cmp(&a.weight.points)
            .then(a.name.cmp(&b.name))
    });
    WorkerLoad {
        id: UserId(w.id),
        name: w.name.clone(),
        team_id: w.team_id.map(TeamId),
        team_name: w.team_name.clone(),
        pod_id: w.pod_id.map(PodId),
        manager_id: w.manager_id.map(UserId),
        fte_hundredths: w.fte_hundredths,
        agency: w.agency,
        asye,
        children: rows.len() as u32,
        points,
        capacity: cap,
        percent: percent_of(points, cap),
        status: status(cfg, points, cap),
        cases,
    }
}

impl App {
    fn windows(&self) -> (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>) {
        let now = self.now();
        (
            now - TimeDelta::days(self.config.caseload.repeat_missing_days.max(1)),
            now - TimeDelta::days(180),
        )
    }

    /// Weigh every case-holding worker's caseload now.
    pub(crate) async fn loads(&self, tx: &mut Tx) -> AppResult<Loads> {
        self.loads_in(tx, None).await
    }

    /// Weigh the caseloads of every case-holding worker, or of `team`'s
    /// workers only (a team's page reads its own cases, not the country's).
    pub(crate) async fn loads_in(&self, tx: &mut Tx, team: Option<TeamId>) -> AppResult<Loads> {
        let cfg = &self.config.caseload;
        let (m, s) = self.windows();
        let rows = repo::open_cases(tx, m, s, team).await?;
        let groups = sibling_groups(&repo::sibling_pairs(tx, team).await?);
        let workers = repo::workers(tx, team).await?;
        let today = calendar::london_date(self.now());
        let mut by_worker: HashMap<Uuid, Vec<&CaseRow>> = HashMap::new();
        for r in &rows {
            if let Some(w) = r.worker_id {
                by_worker.entry(w).or_default().push(r);
            }
        }
        let mut loads: Vec<WorkerLoad> = workers
            .iter()
            .map(|w| {
                load_of(
                    cfg,
                    w,
                    today,
                    by_worker.get(&w.id).map(Vec::as_slice).unwrap_or(&[]),
                    &groups,
                )
            })
            .collect();
        loads.sort_by(|a, b| {
            b.status
                .cmp(&a.status)
                .then(b.percent.cmp(&a.percent))
                .then(a.name.cmp(&b.name))
        });
        Ok(Loads {
            workers: loads,
            cases: rows.into_iter().map(|r| (r.child_id, r)).collect(),
            groups,
        })
    }

    /// Each candidate's load now and after taking the child `ok` names.
    pub(crate) async fn candidates_in(
        &self,
        tx: &mut Tx,
        ok: &Allowed,
    ) -> AppResult<Vec<Candidate>> {
        let cfg = &self.config.caseload;
        let (m, s) = self.windows();
        let Some(child) = repo::child_case(tx, ok, m, s).await? else {
            return Err(AppError::NotFound);
        };
        let loads = self.loads(tx).await?;
        let siblings: Vec<Uuid> = repo::siblings_of(tx, ok)
            .await?
            .into_iter()
            .map(|(x, y)| if x == child.child_id { y } else { x })
            .collect();
        let mut out = Vec::new();
        for w in &loads.workers {
            let current = child.worker_id == Some(w.id.0);
            // The worker's cases as facts, without this child.
            let mut facts: Vec<CaseFacts> = w
                .cases
                .iter()
                .filter(|c| c.child_id.0 != child.child_id)
                .filter_map(|c| loads.cases.get(&c.child_id.0))
                .map(|r| facts_of(cfg, r, loads.groups.get(&r.child_id).copied()))
                .collect();
            // A sibling already with this worker puts the child in its group.
            let group = siblings
                .iter()
                .find(|s| loads.cases.get(s).and_then(|r| r.worker_id) == Some(w.id.0))
                .map(|s| {
                    let g = loads.groups.get(s).copied().unwrap_or(s.as_u128() as u64);
                    // Give the sibling the same key if it had none.
                    for (f, c) in facts
                        .iter_mut()
                        .zip(w.cases.iter().filter(|c| c.child_id.0 != child.child_id))
                    {
                        if c.child_id.0 == *s && f.sibling_group.is_none() {
                            f.sibling_group = Some(g);
                        }
                    }
                    g
                });
            let new = facts_of(cfg, &child, group);
            let projected = if current {
                w.points
            } else {
                projected_load_with(cfg, &facts, &new)
            };
            let mut worker = w.clone();
            worker.cases.clear();
            out.push(Candidate {
                projected,
                projected_percent: percent_of(projected, w.capacity),
                projected_status: status(cfg, projected, w.capacity),
                breach: if current {
                    None
                } else {
                    breaches(cfg, projected, w.capacity, w.asye)
                },
                current,
                worker,
            });
        }
        out.sort_by(|a, b| {
            a.worker
                .team_name
                .cmp(&b.worker.team_name)
                .then(a.worker.name.cmp(&b.worker.name))
        });
        Ok(out)
    }

    /// The allocation form's candidates: each worker's raw count, current
    /// and projected weighted load and status.
    pub async fn allocation_candidates(&self, ctx: &Ctx, id: ChildId) -> AppResult<Vec<Candidate>> {
        let tx = self.db.begin_write().await?;
        let (mut tx, _, ok) = self
            .authorise_child(tx, ctx, id, authz::ChildAction::Allocate)
            .await?;
        let c = self.candidates_in(&mut tx, &ok).await?;
        tx.commit().await?;
        // The manager's own team first.
        let mine = ctx.me.user.team_id;
        let (mut a, b): (Vec<_>, Vec<_>) = c.into_iter().partition(|c| c.worker.team_id == mine);
        a.extend(b);
        Ok(a)
    }

    async fn audited_read(
        &self,
        tx: &mut Tx,
        ctx: &Ctx,
        action: &str,
        kind: &str,
        target: Option<Uuid>,
    ) -> AppResult<()> {
        let ev = ctx.event(action, kind, target, None, Outcome::Allow, None);
        self.audit(tx, &ev).await
    }

    async fn refuse(&self, ctx: &Ctx, action: &str, kind: &str, target: Option<Uuid>) -> AppError {
        let ev = ctx.event(
            action,
            kind,
            target,
            None,
            Outcome::Deny,
            Some("no_relationship".into()),
        );
        self.deny(ev, None).await
    }

    fn trend_of(
        &self,
        rows: &[SnapshotRow],
        keep: impl Fn(&SnapshotRow) -> bool,
    ) -> Vec<TrendPoint> {
        let cfg = &self.config.caseload;
        let mut out: Vec<TrendPoint> = Vec::new();
        for r in rows.iter().filter(|r| keep(r)) {
            if out.last().is_none_or(|p| p.week != r.week) {
                out.push(TrendPoint {
                    week: r.week.clone(),
                    children: 0,
                    points: 0,
                    capacity: 0,
                    red: 0,
                });
            }
            if let Some(p) = out.last_mut() {
                p.children += r.children as i64;
                p.points += r.points as i64;
                p.capacity += r.capacity_points as i64;
                p.red += i64::from(
                    status(cfg, r.points.max(0) as u32, r.capacity_points.max(0) as u32)
                        == Status::Red,
                );
            }
        }
        out
    }

    fn trend_start(&self) -> String {
        iso_week(calendar::london_date(self.now()) - TimeDelta::weeks(12))
    }

    /// A worker's caseload, child by child with each weight and why. The
    /// worker sees their own; their team manager and pod administrator too.
    pub async fn worker_caseload(
        &self,
        ctx: &Ctx,
        worker: Option<UserId>,
    ) -> AppResult<WorkerCaseload> {
        let id = worker.unwrap_or(ctx.me.user.id);
        if worker.is_none() {
            self.check_service(ctx, ServiceAction::ViewOwnCaseload)
                .await?;
        }
        let mut tx = self.db.begin_write().await?;
        let Some(row) = repo::worker(&mut tx, id).await? else {
            return Err(AppError::NotFound);
        };
        let scope = CaseloadScope::Worker {
            user: id,
            team: row.team_id.map(TeamId),
            pod: row.pod_id.map(PodId),
            manager: row.manager_id.map(UserId),
        };
        if !authz::may_view_caseload(&ctx.me.actor, scope) {
            drop(tx);
            return Err(self.refuse(ctx, "caseload.view", "user", Some(id.0)).await);
        }
        // The worker's team is enough to weigh their load (their cases and
        // the sibling groups among them); weighing the whole service here
        // held SQLite's writer for seconds at national scale.
        let loads = self.loads_in(&mut tx, row.team_id.map(TeamId)).await?;
        let cfg = &self.config.caseload;
        let today = calendar::london_date(self.now());
        let mut w = match loads.workers.into_iter().find(|w| w.id == id) {
            Some(w) => w,
            None => load_of(cfg, &row, today, &[], &HashMap::new()),
        };
        let mine = id == ctx.me.user.id;
        // Restricted records: only the allocated worker and the team's manager see the name.
        let manager = ctx.me.actor.role == harbour_domain::Role::TeamManager;
        for c in &mut w.cases {
            if c.restricted && !mine && !manager {
                c.name = "Restricted record".into();
            }
        }
        let snaps = repo::snapshots_since(&mut tx, &self.trend_start()).await?;
        let trend = self.trend_of(&snaps, |r| r.worker_id == id.0);
        self.audited_read(&mut tx, ctx, "caseload.view", "user", Some(id.0))
            .await?;
        tx.commit().await?;
        Ok(WorkerCaseload {
            may_reallocate: !mine
                && authz::decide_service(&ctx.me.actor, ServiceAction::BulkReallocate),
            worker: w,
            mine,
            config: cfg.clone(),
            trend,
        })
    }

    /// Check that the actor may move this worker's children: a team
    /// manager (`BulkReallocate`) who may see the worker's caseload.
    async fn bulk_scope(&self, ctx: &Ctx, from: UserId) -> AppResult<WorkerRow> {
        let mut tx = self.db.begin_read().await?;
        let Some(row) = repo::worker(&mut tx, from).await? else {
            return Err(AppError::NotFound);
        };
        tx.commit().await?;
        let scope = CaseloadScope::Worker {
            user: from,
            team: row.team_id.map(TeamId),
            pod: row.pod_id.map(PodId),
            manager: row.manager_id.map(UserId),
        };
        if !authz::may_view_caseload(&ctx.me.actor, scope) {
            return Err(self
                .refuse(ctx, "allocation.bulk", "user", Some(from.0))
                .await);
        }
        Ok(row)
    }

    /// The bulk re-allocation page for a leaver or a long absence: the
    /// worker's children, and for each candidate the load now, with each
    /// child, and with all of them. Each child must be one the manager may
    /// allocate ([`authz::ChildAction::Allocate`]).
    pub async fn bulk_reallocation_plan(&self, ctx: &Ctx, from: UserId) -> AppResult<BulkPlan> {
        self.check_service(ctx, ServiceAction::BulkReallocate)
            .await?;
        self.bulk_scope(ctx, from).await?;
        let mut tx = self.db.begin_write().await?;
        let loads = self.loads(&mut tx).await?;
        let Some(w) = loads.workers.iter().find(|w| w.id == from).cloned() else {
            return Err(AppError::NotFound);
        };
        let mut children = Vec::new();
        let mut tx = tx;
        for case in &w.cases {
            let (t, _, ok) = self
                .authorise_child(tx, ctx, case.child_id, authz::ChildAction::Allocate)
                .await?;
            tx = t;
            let cands = self.candidates_in(&mut tx, &ok).await?;
            children.push(BulkChild {
                case: case.clone(),
                candidates: self.order_candidates(ctx, cands, from),
            });
        }
        // Everyone's load if they took all of the children.
        let cfg = &self.config.caseload;
        let moving: Vec<CaseFacts> = w
            .cases
            .iter()
            .filter_map(|c| loads.cases.get(&c.child_id.0))
            .map(|r| facts_of(cfg, r, loads.groups.get(&r.child_id).copied()))
            .collect();
        let mut all = Vec::new();
        for c in loads.workers.iter().filter(|c| c.id != from) {
            let mut facts: Vec<CaseFacts> = c
                .cases
                .iter()
                .filter_map(|k| loads.cases.get(&k.child_id.0))
                .map(|r| facts_of(cfg, r, loads.groups.get(&r.child_id).copied()))
                .collect();
            facts.extend(moving.iter().cloned());
            let projected = worker_load(cfg, &facts);
            let mut worker = c.clone();
            worker.cases.clear();
            all.push(Candidate {
                projected,
                projected_percent: percent_of(projected, c.capacity),
                projected_status: status(cfg, projected, c.capacity),
                breach: breaches(cfg, projected, c.capacity, c.asye),
                current: false,
                worker,
            });
        }
        all.sort_by(|a, b| {
            a.worker
                .team_name
                .cmp(&b.worker.team_name)
                .then(a.worker.name.cmp(&b.worker.name))
        });
        let all = self.order_candidates(ctx, all, from);
        self.audited_read(&mut tx, ctx, "allocation.bulk_view", "user", Some(from.0))
            .await?;
        tx.commit().await?;
        Ok(BulkPlan {
            from: w,
            children,
            all,
        })
    }

    /// Candidates without the leaving worker, the manager's own team first.
    fn order_candidates(&self, ctx: &Ctx, c: Vec<Candidate>, from: UserId) -> Vec<Candidate> {
        let mine = ctx.me.user.team_id;
        let (mut a, b): (Vec<_>, Vec<_>) = c
            .into_iter()
            .filter(|c| c.worker.id != from)
            .partition(|c| c.worker.team_id == mine);
        a.extend(b);
        a
    }

    /// Move every child of a leaving or absent worker in one transaction:
    /// each to the worker chosen for them (or the one chosen for all), with
    /// one SW_REASON code and start date. Each move is checked and audited
    /// as a single allocation is (`allocation.change`, and
    /// `allocation.override` with the manager's reason where a move breaches
    /// a protected ASYE cap or the red threshold, the projections counting
    /// the children moved before it); then one `allocation.bulk` row. Any
    /// problem leaves every child where they were. Returns how many moved.
    pub async fn bulk_reallocate(
        &self,
        ctx: &Ctx,
        from: UserId,
        input: &BulkReallocateInput,
    ) -> AppResult<usize> {
        self.check_service(ctx, ServiceAction::BulkReallocate)
            .await?;
        self.bulk_scope(ctx, from).await?;
        let mut tx = self.db.begin_write().await?;
        let loads = self.loads(&mut tx).await?;
        let Some(w) = loads.workers.into_iter().find(|w| w.id == from) else {
            return Err(AppError::NotFound);
        };
        // Authorise every child before anything is written.
        let mut allowed = Vec::new();
        let mut tx = tx;
        for case in &w.cases {
            let (t, _, ok) = self
                .authorise_child(tx, ctx, case.child_id, authz::ChildAction::Allocate)
                .await?;
            tx = t;
            allowed.push((case.clone(), ok));
        }
        let mut errs = FieldErrors::new();
        if w.cases.is_empty() {
            errs.add("all", format!("{} has no children allocated", w.name));
        }
        let chosen = |c: ChildId| {
            input
                .per_child
                .iter()
                .find(|(k, v)| *k == c && !v.trim().is_empty())
                .map(|(_, v)| v.trim().to_string())
                .unwrap_or_else(|| input.all.trim().to_string())
        };
        if !w.cases.is_empty() && w.cases.iter().all(|c| chosen(c.child_id).is_empty()) {
            errs.add(
                "all",
                "Select a worker to take all the children, or a worker for each child",
            );
        } else {
            for c in &w.cases {
                if chosen(c.child_id).is_empty() {
                    errs.add(
                        &format!("worker-{}", c.child_id),
                        format!("Select a worker for {}", c.name),
                    );
                }
            }
        }
        if !errs.is_empty() {
            return Err(AppError::Validation(errs));
        }
        let mut moved = 0;
        for (case, ok) in &allowed {
            let one = crate::children::AllocateInput {
                worker: chosen(case.child_id),
                sw_reason: input.sw_reason.clone(),
                day: input.day.clone(),
                month: input.month.clone(),
                year: input.year.clone(),
                override_reason: input.override_reason.clone(),
            };
            match self.allocate_in(&mut tx, ctx, ok, &one).await {
                Ok(_) => moved += 1,
                Err(AppError::Validation(e)) => {
                    for fe in e.0 {
                        match fe.field.as_str() {
                            "worker" => errs.add(
                                &format!("worker-{}", case.child_id),
                                format!("{}: {}", case.name, fe.message),
                            ),
                            "override_reason" => errs
                                .add("override_reason", format!("{}: {}", case.name, fe.message)),
                            other => errs.add(other, fe.message),
                        }
                    }
                }
                Err(e) => return Err(e),
            }
        }
        if !errs.is_empty() {
            // Nothing is kept: the transaction is dropped.
            return Err(AppError::Validation(errs));
        }
        let ev = ctx.event(
            "allocation.bulk",
            "user",
            Some(from.0),
            None,
            Outcome::Allow,
            Some(format!("{moved} children, {}", input.sw_reason)),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(moved)
    }

    /// Whether care proceedings (court work, which the weighting counts)
    /// are recorded for a child: for those who may change the child's
    /// details ([`authz::ChildAction::Edit`]). Audited as `court_work.view`.
    pub async fn court_work(&self, ctx: &Ctx, id: ChildId) -> AppResult<CourtWorkView> {
        let tx = self.db.begin_write().await?;
        let (mut tx, c, ok) = self
            .authorise_child(tx, ctx, id, authz::ChildAction::Edit)
            .await?;
        let current = repo::court_work(&mut tx, &ok).await?;
        let ev = ctx.event(
            "court_work.view",
            "child",
            Some(id.0),
            Some(id.0),
            Outcome::Allow,
            None,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(CourtWorkView {
            child: c.child,
            current,
        })
    }

    /// Mark a child's care proceedings as under way since a date, or as
    /// ended; the child's weight changes with it. Audited as
    /// `court_work.start` or `court_work.end` on the child.
    pub async fn set_court_work(
        &self,
        ctx: &Ctx,
        id: ChildId,
        input: &CourtWorkInput,
    ) -> AppResult<()> {
        let now = self.now();
        let tx = self.db.begin_write().await?;
        let (mut tx, c, ok) = self
            .authorise_child(tx, ctx, id, authz::ChildAction::Edit)
            .await?;
        let current = repo::court_work(&mut tx, &ok).await?;
        let mut errs = FieldErrors::new();
        let detail = match input.change.as_str() {
            "start" => {
                let since = harbour_domain::validate::date_parts(
                    &mut errs,
                    "day",
                    "the date proceedings started",
                    &input.day,
                    &input.month,
                    &input.year,
                );
                if let Some(d) = since {
                    if d > calendar::london_date(now) {
                        errs.add(
                            "day",
                            "The date proceedings started must be today or in the past",
                        );
                    } else if d < c.child.dob {
                        errs.add(
                            "day",
                            "The date proceedings started must be after the child's date of birth",
                        );
                    }
                }
                if current.is_some() {
                    errs.add(
                        "change",
                        "Proceedings are already recorded; end them first to record new ones",
                    );
                }
                errs.into_result()?;
                let since = since.ok_or(AppError::NotFound)?;
                repo::set_court_work(&mut tx, &ok, since, Some(ctx.me.user.id), now).await?;
                ("court_work.start", since.to_string())
            }
            "end" => {
                if current.is_none() {
                    errs.add("change", "No proceedings are recorded for this child");
                    return Err(AppError::Validation(errs));
                }
                repo::end_court_work(&mut tx, &ok).await?;
                (
                    "court_work.end",
                    current
                        .map(|w| format!("since {}", w.since))
                        .unwrap_or_default(),
                )
            }
            _ => {
                errs.add(
                    "change",
                    if current.is_some() {
                        "Select whether the proceedings have ended"
                    } else {
                        "Select whether care proceedings are under way"
                    },
                );
                return Err(AppError::Validation(errs));
            }
        };
        let ev = ctx.event(
            detail.0,
            "child",
            Some(id.0),
            Some(id.0),
            Outcome::Allow,
            Some(detail.1),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A team's dashboard: its workers, the team's overrides, the trend.
    pub async fn team_caseloads(&self, ctx: &Ctx, team: TeamId) -> AppResult<Dashboard> {
        let mut tx = self.db.begin_write().await?;
        let teams = repo::teams(&mut tx).await?;
        let Some(t) = teams.iter().find(|t| t.id == team.0) else {
            return Err(AppError::NotFound);
        };
        let scope = CaseloadScope::Team {
            team,
            pod: t.pod_id.map(PodId),
            manager: t.manager_id.map(UserId),
        };
        if !authz::may_view_caseload(&ctx.me.actor, scope) {
            drop(tx);
            return Err(self
                .refuse(ctx, "caseload.team", "team", Some(team.0))
                .await);
        }
        let loads = self.loads_in(&mut tx, Some(team)).await?;
        let workers: Vec<WorkerLoad> = loads
            .workers
            .into_iter()
            .filter(|w| w.team_id == Some(team))
            .collect();
        let mut overrides =
            repo::overrides_for_team(&mut tx, team, self.now() - TimeDelta::days(365)).await?;
        if ctx.me.actor.role != harbour_domain::Role::TeamManager {
            for o in overrides.iter_mut().filter(|o| o.restricted) {
                o.first_name = "Restricted".into();
                o.last_name = "record".into();
            }
        }
        let snaps = repo::snapshots_since(&mut tx, &self.trend_start()).await?;
        let trend = self.trend_of(&snaps, |r| r.team_id == Some(team.0));
        self.audited_read(&mut tx, ctx, "caseload.team", "team", Some(team.0))
            .await?;
        tx.commit().await?;
        Ok(Dashboard {
            title: t.name.clone(),
            scope: "team",
            team_id: Some(team),
            totals: GroupFigures::of(workers.iter()),
            teams: Vec::new(),
            may_reallocate: authz::decide_service(&ctx.me.actor, ServiceAction::BulkReallocate),
            workers: strip(workers),
            overrides,
            trend,
            config: self.config.caseload.clone(),
        })
    }

    /// A pod's dashboard: the teams it serves.
    pub async fn pod_caseloads(&self, ctx: &Ctx, pod: PodId) -> AppResult<Dashboard> {
        let mut tx = self.db.begin_write().await?;
        let Some(name) = repo::pod_name(&mut tx, pod).await? else {
            return Err(AppError::NotFound);
        };
        if !authz::may_view_caseload(&ctx.me.actor, CaseloadScope::Pod { pod }) {
            drop(tx);
            return Err(self.refuse(ctx, "caseload.pod", "pod", Some(pod.0)).await);
        }
        let teams: Vec<_> = repo::teams(&mut tx)
            .await?
            .into_iter()
            .filter(|t| t.pod_id == Some(pod.0))
            .collect();
        let ids: Vec<Uuid> = teams.iter().map(|t| t.id).collect();
        let loads = self.loads(&mut tx).await?;
        let workers: Vec<WorkerLoad> = loads
            .workers
            .into_iter()
            .filter(|w| w.team_id.is_some_and(|t| ids.contains(&t.0)))
            .collect();
        let snaps = repo::snapshots_since(&mut tx, &self.trend_start()).await?;
        let trend = self.trend_of(&snaps, |r| r.team_id.is_some_and(|t| ids.contains(&t)));
        self.audited_read(&mut tx, ctx, "caseload.pod", "pod", Some(pod.0))
            .await?;
        tx.commit().await?;
        Ok(Dashboard {
            title: name,
            scope: "pod",
            team_id: None,
            totals: GroupFigures::of(workers.iter()),
            teams: team_figures(&teams, &workers),
            workers: strip(workers),
            overrides: Vec::new(),
            trend,
            may_reallocate: false,
            config: self.config.caseload.clone(),
        })
    }

    /// Service-wide figures per team and per worker.
    pub async fn service_caseloads(&self, ctx: &Ctx) -> AppResult<Dashboard> {
        self.check_service(ctx, ServiceAction::ViewServiceCaseloads)
            .await?;
        let mut tx = self.db.begin_write().await?;
        let teams = repo::teams(&mut tx).await?;
        let loads = self.loads(&mut tx).await?;
        let snaps = repo::snapshots_since(&mut tx, &self.trend_start()).await?;
        let trend = self.trend_of(&snaps, |_| true);
        self.audited_read(&mut tx, ctx, "caseload.service", "service", None)
            .await?;
        tx.commit().await?;
        Ok(Dashboard {
            title: "The service".into(),
            scope: "service",
            team_id: None,
            totals: GroupFigures::of(loads.workers.iter()),
            teams: team_figures(&teams, &loads.workers),
            workers: strip(loads.workers),
            overrides: Vec::new(),
            trend,
            may_reallocate: false,
            config: self.config.caseload.clone(),
        })
    }

    /// Workforce planning.
    pub async fn workforce(&self, ctx: &Ctx) -> AppResult<Workforce> {
        self.check_service(ctx, ServiceAction::ViewWorkforce)
            .await?;
        let mut tx = self.db.begin_write().await?;
        let teams = repo::teams(&mut tx).await?;
        let loads = self.loads(&mut tx).await?;
        let now = self.now();
        let leavers = repo::leavers(&mut tx, now - TimeDelta::days(365)).await?;
        let today = calendar::london_date(now);
        // The last 8 whole ISO weeks and this one so far: weeks starting on Monday.
        let monday = today - TimeDelta::days(today.weekday().num_days_from_monday() as i64);
        let first = monday - TimeDelta::weeks(7);
        let starts = repo::allocation_starts(&mut tx, first, today).await?;
        self.audited_read(&mut tx, ctx, "workforce.view", "service", None)
            .await?;
        tx.commit().await?;
        let mut weekly_new: Vec<(String, u32)> = (0..8)
            .map(|k| (iso_week(first + TimeDelta::weeks(k)), 0))
            .collect();
        for (d, _) in starts {
            let k = ((d - first).num_days() / 7) as usize;
            if let Some(w) = weekly_new.get_mut(k) {
                w.1 += 1;
            }
        }
        let mut wt = Vec::new();
        for t in &teams {
            let ws: Vec<&WorkerLoad> = loads
                .workers
                .iter()
                .filter(|w| w.team_id == Some(TeamId(t.id)))
                .collect();
            let filled: i32 = ws.iter().map(|w| w.fte_hundredths).sum();
            let agency: i32 = ws
                .iter()
                .filter(|w| w.agency)
                .map(|w| w.fte_hundredths)
                .sum();
            wt.push(WorkforceTeam {
                id: TeamId(t.id),
                name: t.name.clone(),
                establishment: t.establishment_fte_hundredths,
                filled,
                agency,
                vacancy: t.establishment_fte_hundredths.map(|e| e - filled),
                headcount: ws.len(),
                asye: ws.iter().filter(|w| w.asye).count(),
            });
        }
        let totals = (
            wt.iter().filter_map(|t| t.establishment).sum(),
            wt.iter().map(|t| t.filled).sum(),
            wt.iter().map(|t| t.agency).sum(),
        );
        let pairs: Vec<(u32, u32)> = loads
            .workers
            .iter()
            .map(|w| (w.points, w.capacity))
            .collect();
        let held: u32 = loads.workers.iter().map(|w| w.children).sum();
        let counts: Vec<u32> = weekly_new.iter().map(|w| w.1).collect();
        let names: HashMap<Uuid, String> = teams.iter().map(|t| (t.id, t.name.clone())).collect();
        Ok(Workforce {
            teams: wt,
            totals,
            leavers: leavers
                .into_iter()
                .map(|row| Leaver {
                    team_name: row.team_id.and_then(|t| names.get(&t).cloned()),
                    row,
                })
                .collect(),
            forecast: forecast(&self.config.caseload, &counts, &pairs, held),
            weekly_new,
            totals_now: GroupFigures::of(loads.workers.iter()),
            may_edit: authz::decide_service(&ctx.me.actor, ServiceAction::ManageEstablishment),
        })
    }

    /// Set a team's establishment (funded FTE, e.g. "6.5"; empty clears it).
    pub async fn set_establishment(&self, ctx: &Ctx, team: TeamId, fte: &str) -> AppResult<()> {
        self.check_service(ctx, ServiceAction::ManageEstablishment)
            .await?;
        let value = parse_fte(fte)?;
        let mut tx = self.db.begin_write().await?;
        if !repo::set_establishment(&mut tx, team, value).await? {
            return Err(AppError::NotFound);
        }
        let ev = ctx.event(
            "workforce.establishment",
            "team",
            Some(team.0),
            None,
            Outcome::Allow,
            Some(
                value
                    .map(|v| v.to_string())
                    .unwrap_or_else(|| "cleared".into()),
            ),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Set a team's establishment from the command line (audited as the system).
    pub async fn set_establishment_system(&self, team_name: &str, fte: &str) -> AppResult<()> {
        let value = parse_fte(fte)?;
        let mut tx = self.db.begin_write().await?;
        let Some(t) = repo::teams(&mut tx)
            .await?
            .into_iter()
            .find(|t| t.name == team_name)
        else {
            return Err(AppError::NotFound);
        };
        repo::set_establishment(&mut tx, TeamId(t.id), value).await?;
        self.audit(
            &mut tx,
            &system_event(
                "workforce.establishment",
                "team",
                Some(t.id),
                value.map(|v| v.to_string()),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Take this ISO week's caseload snapshot if it has not been taken.
    /// Returns the number of worker rows written (None if already taken).
    pub async fn take_caseload_snapshot(&self) -> AppResult<Option<usize>> {
        let week = iso_week(calendar::london_date(self.now()));
        // The loads are read in a read transaction (one consistent view):
        // at national scale reading every open case takes seconds, and on
        // SQLite a write transaction would hold the only writer for all of
        // it, so sign-ins and every save would wait behind the job.
        let mut read = self.db.begin_read().await?;
        if repo::snapshot_exists(&mut read, &week).await? {
            return Ok(None);
        }
        let loads = self.loads(&mut read).await?;
        read.commit().await?;
        let mut tx = self.db.begin_write().await?;
        // Another instance may have taken this week's snapshot meanwhile.
        if repo::snapshot_exists(&mut tx, &week).await? {
            return Ok(None);
        }
        let now = self.now();
        for w in &loads.workers {
            repo::insert_snapshot(&mut tx, &snapshot_row(&week, w), now).await?;
        }
        self.audit(
            &mut tx,
            &system_event(
                "caseload.snapshot",
                "service",
                None,
                Some(format!("{week}: {} workers", loads.workers.len())),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(Some(loads.workers.len()))
    }
}

/// A worker's snapshot row.
pub(crate) fn snapshot_row(week: &str, w: &WorkerLoad) -> SnapshotRow {
    SnapshotRow {
        week: week.into(),
        worker_id: w.id.0,
        team_id: w.team_id.map(|t| t.0),
        asye: w.asye,
        fte_hundredths: w.fte_hundredths,
        children: w.children as i32,
        points: w.points as i32,
        capacity_points: w.capacity as i32,
    }
}

fn strip(mut ws: Vec<WorkerLoad>) -> Vec<WorkerLoad> {
    for w in &mut ws {
        w.cases.clear();
    }
    ws
}

fn team_figures(teams: &[repo::TeamRow], workers: &[WorkerLoad]) -> Vec<TeamFigures> {
    teams
        .iter()
        .map(|t| TeamFigures {
            id: TeamId(t.id),
            name: t.name.clone(),
            pod_name: t.pod_name.clone(),
            figures: GroupFigures::of(workers.iter().filter(|w| w.team_id == Some(TeamId(t.id)))),
        })
        .collect()
}

/// "6.5" → 650 hundredths; empty → None.
fn parse_fte(s: &str) -> AppResult<Option<i32>> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    match s.parse::<f64>() {
        Ok(v) if (0.0..=500.0).contains(&v) => Ok(Some((v * 100.0).round() as i32)),
        _ => {
            let mut e = FieldErrors::new();
            e.add(
                "fte",
                "Enter the funded full-time equivalent posts as a number, like 6.5",
            );
            Err(AppError::Validation(e))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_weeks_and_fte() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(iso_week(d("2026-11-26")), "2026-W48");
        assert_eq!(iso_week(d("2027-01-01")), "2026-W53");
        assert_eq!(parse_fte("6.5").unwrap(), Some(650));
        assert_eq!(parse_fte(" ").unwrap(), None);
        assert!(parse_fte("lots").is_err());
    }

    #[test]
    fn siblings_join_into_groups() {
        let (a, b, c, d) = (
            Uuid::from_u128(4),
            Uuid::from_u128(2),
            Uuid::from_u128(3),
            Uuid::from_u128(9),
        );
        let g = sibling_groups(&[(a, b), (b, c), (c, a), (d, d)]);
        assert_eq!(g[&a], g[&b]);
        assert_eq!(g[&b], g[&c]);
        assert_eq!(g[&a], 2);
    }
}
