//! The `harbour` binary: one program for serving, migrating, loading demo data,
//! managing accounts and tokens, and verifying the audit trail.

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use harbour_app::admin::NewUserInput;
use harbour_app::checkpoints;
use harbour_app::{App, AppError, Config, SystemClock};
use harbour_db::{Db, DbError, DbOptions};
use harbour_domain::checkpoint;
use std::io::Read;
use std::sync::Arc;
use std::time::Duration;

mod progress;

/// Harbour: children's exploitation, missing and case work for local authorities and partners.
#[derive(Parser, Debug)]
#[command(name = "harbour", version, about)]
struct Cli {
    /// A TOML configuration file (see docs/CONFIGURATION.md).
    #[arg(long, global = true, env = "HARBOUR_CONFIG")]
    config: Option<std::path::PathBuf>,
    /// Database URL: sqlite://path or postgres://… (overrides the file and HARBOUR_DATABASE_URL).
    #[arg(long, global = true)]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the web server (migrates first).
    Serve {
        /// Load the demo authority into an empty database and print its sign-ins.
        #[arg(long)]
        demo: bool,
        /// Address to listen on, e.g. 127.0.0.1:8080.
        #[arg(long)]
        listen: Option<String>,
    },
    /// Apply database migrations.
    Migrate,
    /// Load the demo authority into the (empty) configured database.
    Demo {
        /// Generate the authority from another seed (invented data of the
        /// same shape; the default is the documented demo authority).
        #[arg(long, default_value_t = harbour_app::demo::DEMO_SEED)]
        seed: u64,
    },
    /// Fill an empty, migrated database with a generated dataset for
    /// benchmarks: S (an average authority-year), M (the largest authority
    /// over ten years) or L (national volumes). Progress on stderr; the
    /// counts and the sign-ins on stdout.
    Generate {
        /// S, M or L.
        #[arg(long, value_parser = parse_scale)]
        scale: harbour_app::demo::scale::Scale,
        /// The seed: the same seed (and day) gives the same data.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage partner organisations.
    Org {
        #[command(subcommand)]
        command: OrgCommand,
    },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// The audit trail.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Background jobs: list them, or enqueue one to run now.
    Jobs {
        #[command(subcommand)]
        command: JobsCommand,
    },
    /// Weighted caseloads and workforce planning.
    Caseload {
        #[command(subcommand)]
        command: CaseloadCommand,
    },
    /// Write a statutory return.
    Export {
        #[command(subcommand)]
        command: ExportCommand,
    },
    /// SQLite: write a consistent copy of the database while it runs, then
    /// check the copy (integrity and audit chain). PostgreSQL: see docs/BACKUPS.md.
    Backup {
        /// The copy to write; must not exist.
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Load existing data from another system.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
}

#[derive(Subcommand, Debug)]
enum ExportCommand {
    /// The SSDA903 return (children looked after): header.csv, episodes.csv,
    /// missing.csv, swepisodes.csv (DfE column sets, DD/MM/YYYY) and ssda903.xml.
    Ssda903 {
        /// Collection end year: 2026 is 1 April 2025 to 31 March 2026.
        #[arg(long)]
        year: i32,
        /// Directory to write into (created if missing).
        #[arg(long)]
        out: std::path::PathBuf,
    },
}

#[derive(Subcommand, Debug)]
enum ImportCommand {
    /// SSDA903 CSV files (Header, Episodes, Missing, SWEpisodes; recognised by
    /// their columns). All or nothing; running it again adds nothing twice.
    Ssda903 {
        /// A directory holding the CSV files.
        dir: std::path::PathBuf,
        /// Collection end year the files are for (default: the current one).
        #[arg(long)]
        year: Option<i32>,
    },
}

#[derive(Subcommand, Debug)]
enum JobsCommand {
    /// The newest jobs: kind, state, attempts, runner, times and last error.
    List {
        /// How many.
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// Enqueue one job to run now on any instance's runner
    /// (`session.purge`, `caseload.snapshot` or `mail.outbox`).
    Enqueue {
        /// The job kind.
        kind: String,
    },
}

#[derive(Subcommand, Debug)]
enum CaseloadCommand {
    /// Take this ISO week's caseload snapshot if it has not been taken (`serve` checks hourly, as a job).
    Snapshot,
    /// Set a team's establishment: its funded full-time equivalent posts.
    Establishment {
        /// The team's name.
        #[arg(long)]
        team: String,
        /// Funded FTE, e.g. 6.5; empty clears it.
        #[arg(long)]
        fte: String,
    },
}

#[derive(Subcommand, Debug)]
enum UserCommand {
    /// Add an account. The password is read from standard input if one is piped in; otherwise one is generated and printed once.
    Add {
        /// Email (the sign-in name).
        #[arg(long)]
        email: String,
        /// Full name.
        #[arg(long)]
        name: String,
        /// Role: social_worker, team_manager, pod_admin, edt_worker, panel_coordinator, partner_practitioner, rhi_provider, analyst, privacy_officer, sysadmin.
        #[arg(long)]
        role: String,
        /// Team name.
        #[arg(long)]
        team: Option<String>,
        /// Organisation name (default: the authority's children's social care).
        #[arg(long)]
        org: Option<String>,
    },
    /// Disable an account and end its sessions and tokens at once.
    Disable {
        /// Email.
        email: String,
    },
}

#[derive(Subcommand, Debug)]
enum OrgCommand {
    /// Add an organisation (police force, health body, school, the return-interview provider, another authority).
    Add {
        /// Name.
        #[arg(long)]
        name: String,
        /// Kind: social_care, police, health, education, rhi_provider, other_authority, voluntary.
        #[arg(long)]
        kind: String,
        /// DfE LA code, for other authorities.
        #[arg(long)]
        la: Option<String>,
        /// Where notifications of shared findings are e-mailed (a team mailbox).
        #[arg(long)]
        email: Option<String>,
    },
    /// Set or clear where an organisation's notifications are e-mailed.
    Email {
        /// The organisation's name, exactly.
        #[arg(long)]
        name: String,
        /// The address; leave out to clear it.
        #[arg(long)]
        email: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
enum TokenCommand {
    /// Revoke a user's tokens that have this label; they stop working at once.
    Revoke {
        /// The user's email.
        #[arg(long)]
        user: String,
        /// The token's label.
        #[arg(long)]
        name: String,
    },
    /// Create an API token for a user; it is printed once and stored hashed.
    Create {
        /// The user's email.
        #[arg(long)]
        user: String,
        /// A label, e.g. the partner system's name.
        #[arg(long)]
        name: String,
    },
}

#[derive(Subcommand, Debug)]
enum AuditCommand {
    /// Check the whole hash chain; exits non-zero naming the first broken entry.
    /// With --checkpoints and --public-key, also check every signed checkpoint
    /// in the directory and that the chain still holds each checkpointed head.
    Verify {
        /// A directory of exported checkpoints (checkpoint-*.txt and .sig).
        #[arg(long, requires = "public_key")]
        checkpoints: Option<std::path::PathBuf>,
        /// The signing key's public key (PEM, from `harbour audit keygen`).
        #[arg(long, requires = "checkpoints")]
        public_key: Option<std::path::PathBuf>,
    },
    /// Sign the chain's head now with `audit_checkpoint_key` and export it to
    /// `audit_checkpoint_dir` (`serve` does this once a day).
    Checkpoint,
    /// Make an Ed25519 signing key: writes the private key (PEM, mode 0600)
    /// and prints the public key (PEM), also written to OUT.pub.
    Keygen {
        /// Where to write the private key; must not exist.
        #[arg(long)]
        out: std::path::PathBuf,
    },
}

fn load_config(cli: &Cli) -> Result<Config> {
    let mut c = Config::default();
    let mut secure_set = std::env::var_os("HARBOUR_COOKIE_SECURE").is_some();
    if let Some(p) = &cli.config {
        let text =
            std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
        secure_set |= text
            .lines()
            .any(|l| l.trim_start().starts_with("cookie_secure"));
        c.apply_toml(&text).map_err(anyhow::Error::msg)?;
    }
    c.apply_env(std::env::vars()).map_err(anyhow::Error::msg)?;
    // Unless set explicitly, Secure cookies follow the public origin's scheme, so
    // the local demo over plain http works and any https deployment is secure.
    if !secure_set {
        c.cookie_secure = c.public_origin.starts_with("https://");
    }
    if let Some(u) = &cli.database_url {
        c.database_url = u.clone();
    }
    Ok(c)
}

fn friendly(e: AppError) -> anyhow::Error {
    match e {
        AppError::Validation(f) => anyhow::anyhow!(
            f.0.iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect::<Vec<_>>()
                .join("\n")
        ),
        other => anyhow::anyhow!(other.to_string()),
    }
}

/// Open the database. Only `serve`, `migrate` and `demo` may create a new
/// SQLite file; the other commands refuse a path that does not exist, so a
/// typo cannot make `audit verify` report an empty new database as intact.
fn parse_scale(s: &str) -> Result<harbour_app::demo::scale::Scale, String> {
    harbour_app::demo::scale::Scale::parse(s).ok_or_else(|| "expected S, M or L".to_string())
}

async fn open(config: Config, create: bool) -> Result<App> {
    let db = Db::connect(
        &config.database_url,
        &DbOptions {
            max_connections: config.db_max_connections,
            acquire_timeout: Duration::from_secs(5),
            create_if_missing: create,
        },
    )
    .await
    .map_err(|e| open_error(&config.database_url, e, "could not open the database"))?;
    db.migrate()
        .await
        .map_err(|e| open_error(&config.database_url, e, "could not apply migrations"))?;
    let replica = if config.database_replica_url.is_empty() {
        None
    } else {
        anyhow::ensure!(
            db.backend() == harbour_db::Backend::Postgres,
            "database_replica_url needs a PostgreSQL database_url"
        );
        Some(
            Db::connect_replica(
                &config.database_replica_url,
                &DbOptions {
                    max_connections: config.db_max_connections,
                    acquire_timeout: Duration::from_secs(1),
                    create_if_missing: false,
                },
            )
            .map_err(|e| anyhow::anyhow!("{e}"))?,
        )
    };
    let app = App::new(db, config, Arc::new(SystemClock));
    Ok(match replica {
        Some(r) => app.with_replica(r),
        None => app,
    })
}

/// A start-up error that says plainly when the disk is full or the data
/// directory cannot be written (SQLite often reports only "unable to open
/// database file" then), instead of a driver message alone.
fn open_error(url: &str, e: DbError, what: &str) -> anyhow::Error {
    let why = match &e {
        DbError::DiskFull(_) => Some("the database disk is full".to_string()),
        DbError::ReadOnly(_) => Some("the database is read-only".to_string()),
        _ => sqlite_dir_problem(url),
    };
    match why {
        Some(why) => anyhow::anyhow!("{what}: {why} ({e})"),
        None => anyhow::Error::new(e).context(format!("{what} (check the database URL)")),
    }
}

/// For a SQLite URL, whether its directory refuses a new file, in words.
fn sqlite_dir_problem(url: &str) -> Option<String> {
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = std::path::Path::new(path.split('?').next().unwrap_or(path));
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => std::path::Path::new("."),
    };
    let probe = dir.join(".harbour-write-probe");
    match std::fs::File::create(&probe) {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            None
        }
        Err(e) => Some(match e.kind() {
            std::io::ErrorKind::ReadOnlyFilesystem => format!(
                "the data directory {} is on a read-only filesystem",
                dir.display()
            ),
            std::io::ErrorKind::StorageFull => {
                format!("the disk holding {} is full", dir.display())
            }
            std::io::ErrorKind::PermissionDenied => format!(
                "Harbour may not write to the data directory {} (it is read-only to this user)",
                dir.display()
            ),
            _ => format!(
                "the data directory {} cannot be written: {e}",
                dir.display()
            ),
        }),
    }
}

/// Create a new file with these permissions (Unix), refusing to overwrite.
fn write_new(path: &std::path::Path, bytes: &[u8], mode: u32) -> Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    f.write_all(bytes)
        .and_then(|()| f.sync_all())
        .with_context(|| format!("writing {}", path.display()))
}

/// Ctrl-C or SIGTERM (what service managers send): stop taking requests and
/// let those in flight finish.
async fn shutdown_signal() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate => {}
    }
    tracing::info!("shutting down");
}

fn print_demo(s: &harbour_app::demo::DemoSummary) {
    println!(
        "Loaded the demo authority: {} children, {} staff (all invented).",
        s.children, s.staff
    );
    let m = &s.missing;
    println!(
        "Missing history: {} episodes ({} children missing now), {} return interviews ({} waiting), {} notifications to other organisations.",
        m.episodes, m.missing_now, m.interviews, m.awaiting, m.notifications
    );
    println!(
        "Demo sign-ins (password for all: {}):",
        harbour_app::demo::DEMO_PASSWORD
    );
    for d in &s.sign_ins {
        let extra = if d.totp {
            format!(
                "  + authenticator code (TOTP secret {})",
                harbour_app::demo::DEMO_TOTP_SECRET
            )
        } else {
            String::new()
        };
        println!("  {:<22} {:<42}{}", d.role.as_str(), d.email, extra);
    }
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // The chain of causes, no backtrace: these are messages for people.
            eprintln!("harbour: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<()> {
    let cli = Cli::parse();
    let mut config = load_config(&cli)?;
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_new(&config.log)
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    match cli.command {
        Command::Serve { demo, listen } => {
            if let Some(l) = listen {
                config.listen = l;
            }
            let listen = config.listen.clone();
            let app = open(config, true).await?;
            if demo {
                match app.load_demo().await {
                    Ok(s) => print_demo(&s),
                    Err(AppError::Conflict(_)) => println!(
                        "The database already holds records; demo data was not loaded again. Demo sign-ins use the password {}.",
                        harbour_app::demo::DEMO_PASSWORD
                    ),
                    Err(e) => return Err(friendly(e)),
                }
            }
            let listener = tokio::net::TcpListener::bind(&listen)
                .await
                .with_context(|| format!("could not listen on {listen}"))?;
            println!(
                "Harbour is running at http://{listen}/ ({})",
                if app.db.backend() == harbour_db::Backend::Sqlite {
                    "SQLite"
                } else {
                    "PostgreSQL"
                }
            );
            let router = harbour_web::router(app.clone());
            // Background work (session purge, caseload snapshot, signed audit
            // checkpoint, e-mail outbox) runs as jobs in the database: the scheduler enqueues each
            // period's run once across all instances, and the runner claims due
            // jobs (skip-locked on PostgreSQL), so any live instance runs them.
            let worker = app.clone();
            let runner = harbour_app::jobs::runner_name(&listen);
            tokio::spawn(async move {
                let mut every = tokio::time::interval(Duration::from_secs(1));
                every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                loop {
                    every.tick().await;
                    if worker.config.job_scheduler
                        && let Err(e) = worker.schedule_periodic_jobs().await
                    {
                        tracing::warn!(error = %e, "scheduling periodic jobs failed");
                    }
                    if !worker.config.job_runner {
                        continue;
                    }
                    loop {
                        match worker.run_next_job(&runner).await {
                            Ok(Some((job, outcome))) => {
                                tracing::info!(job.id = %job.id, job.kind = %job.kind, outcome = ?outcome, "job ran")
                            }
                            Ok(None) => break,
                            Err(e) => {
                                tracing::warn!(error = %e, "job runner failed");
                                break;
                            }
                        }
                    }
                }
            });
            axum::serve(
                listener,
                router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .with_graceful_shutdown(shutdown_signal())
            .await?;
            app.db.close().await;
        }
        Command::Jobs { command } => {
            let app = open(config, false).await?;
            match command {
                JobsCommand::List { limit } => {
                    let jobs = app.list_jobs(limit).await.map_err(friendly)?;
                    println!(
                        "{:<36}  {:<18}  {:<7}  {:>8}  {:<20}  {:<25}  {:<25}  last error",
                        "id", "kind", "state", "attempts", "run at", "runner", "finished at"
                    );
                    for j in jobs {
                        println!(
                            "{:<36}  {:<18}  {:<7}  {:>5}/{:<2}  {:<20}  {:<25}  {:<25}  {}",
                            j.id,
                            j.kind,
                            j.state,
                            j.attempts,
                            j.max_attempts,
                            j.run_at.format("%Y-%m-%d %H:%M:%S"),
                            j.locked_by.unwrap_or_default(),
                            j.finished_at
                                .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
                                .unwrap_or_default(),
                            j.last_error.unwrap_or_default()
                        );
                    }
                }
                JobsCommand::Enqueue { kind } => match app.enqueue_job(&kind).await {
                    Ok(()) => println!("Enqueued a {kind} job."),
                    Err(AppError::NotFound) => anyhow::bail!(
                        "unknown job kind {kind}: use session.purge, caseload.snapshot or mail.outbox"
                    ),
                    Err(e) => return Err(friendly(e)),
                },
            }
            app.db.close().await;
        }
        Command::Caseload { command } => {
            let app = open(config, false).await?;
            match command {
                CaseloadCommand::Snapshot => match app.take_caseload_snapshot().await {
                    Ok(Some(n)) => println!("Caseload snapshot taken for {n} workers."),
                    Ok(None) => println!("This week's caseload snapshot was already taken."),
                    Err(e) => return Err(friendly(e)),
                },
                CaseloadCommand::Establishment { team, fte } => {
                    match app.set_establishment_system(&team, &fte).await {
                        Ok(()) => println!("Establishment of {team} set."),
                        Err(AppError::NotFound) => anyhow::bail!("no team named {team}"),
                        Err(e) => return Err(friendly(e)),
                    }
                }
            }
            app.db.close().await;
        }
        Command::Export {
            command: ExportCommand::Ssda903 { year, out },
        } => {
            let app = open(config, false).await?;
            let e = app.export_ssda903_system(year).await.map_err(friendly)?;
            std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
            for (name, text) in e.tables.to_csv() {
                let p = out.join(name);
                std::fs::write(&p, text).with_context(|| format!("writing {}", p.display()))?;
            }
            let p = out.join("ssda903.xml");
            std::fs::write(&p, &e.xml).with_context(|| format!("writing {}", p.display()))?;
            println!(
                "SSDA903 {}-{}: {} children, {} episodes, {} missing, {} social worker episodes written to {}",
                year - 1,
                year % 100,
                e.tables.header.len(),
                e.tables.episodes.len(),
                e.tables.missing.len(),
                e.tables.sw.len(),
                out.display()
            );
        }
        Command::Import {
            command: ImportCommand::Ssda903 { dir, year },
        } => {
            let mut files = Vec::new();
            let mut entries: Vec<_> = std::fs::read_dir(&dir)
                .with_context(|| format!("reading {}", dir.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("csv")))
                .collect();
            entries.sort();
            for p in entries {
                let text = std::fs::read_to_string(&p)
                    .with_context(|| format!("reading {}", p.display()))?;
                let name = p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                files.push((name, text));
            }
            if files.is_empty() {
                bail!("no .csv files in {}", dir.display());
            }
            let app = open(config, false).await?;
            let year = year.unwrap_or_else(|| {
                harbour_domain::ssda903::episodes::collection_year_of(
                    harbour_domain::calendar::london_date(chrono::Utc::now()),
                )
            });
            let progress = |done: usize, total: usize| {
                let width = 30;
                let filled = (done * width).checked_div(total).unwrap_or(width);
                eprint!(
                    "\rimporting [{}{}] {done}/{total} children",
                    "#".repeat(filled),
                    " ".repeat(width - filled)
                );
                if done == total {
                    eprintln!();
                }
            };
            match app
                .import_ssda903_system(year, &files, &progress)
                .await
                .map_err(friendly)?
            {
                Ok(s) => println!(
                    "Imported {} children ({} new): {} legal status rows, {} placements, {} missing episodes, {} allocations ({} workers without accounts added, disabled). Rows already present were left alone.",
                    s.children,
                    s.children_created,
                    s.statuses,
                    s.placements,
                    s.missing,
                    s.allocations,
                    s.workers_created
                ),
                Err(problems) => {
                    eprintln!(
                        "The import was rejected: nothing was written. {} problem(s):",
                        problems.len()
                    );
                    for p in &problems {
                        eprintln!("  {p}");
                    }
                    bail!("fix the files and run the import again");
                }
            }
        }
        Command::Migrate => {
            let app = open(config, true).await?;
            let (v, _) = harbour_db::migration_versions();
            println!(
                "Database is at migration {}.",
                v.last().copied().unwrap_or(0)
            );
            app.db.close().await;
        }
        Command::Demo { seed } => {
            let app = open(config, true).await?;
            let s = app.load_demo_seeded(seed).await.map_err(friendly)?;
            print_demo(&s);
        }
        Command::Generate { scale, seed } => {
            let app = open(config, true).await?;
            let plan = scale.plan();
            let started = std::time::Instant::now();
            let mut bar = progress::Bar::new();
            let s = app
                .generate_dataset(plan, seed, &mut |p| bar.update(p))
                .await;
            bar.finish();
            let s = s.map_err(friendly)?;
            let size = harbour_db::bulk::database_size(&app.db).await.unwrap_or(0);
            let t = &s.totals;
            println!(
                "Generated scale {scale:?} (seed {seed}) in {:.1} s: {} rows, database {:.1} MB",
                started.elapsed().as_secs_f64(),
                s.rows,
                size as f64 / 1e6
            );
            println!(
                "  {} children ({} looked after, {} open cases), {} staff ({} social workers in {} teams), {} case notes, {} missing episodes ({} missing now), {} audit rows",
                t.children,
                t.looked_after,
                t.open_cases,
                t.staff,
                t.social_workers,
                t.teams,
                t.notes,
                t.episodes,
                t.missing_now,
                t.audit_rows + 1
            );
            println!(
                "Sign-ins (password for all: {}):",
                harbour_app::demo::scale::GENERATED_PASSWORD
            );
            for d in &s.sign_ins {
                let extra = if d.totp {
                    format!(
                        "  + authenticator code (TOTP secret {})",
                        harbour_app::demo::DEMO_TOTP_SECRET
                    )
                } else {
                    String::new()
                };
                println!("  {:<22} {:<42}{}", d.role.as_str(), d.email, extra);
            }
        }
        Command::User { command } => {
            let app = open(config, false).await?;
            match command {
                UserCommand::Add {
                    email,
                    name,
                    role,
                    team,
                    org,
                } => {
                    let mut password = String::new();
                    if !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
                        std::io::stdin().read_to_string(&mut password)?;
                    }
                    let input = NewUserInput {
                        email,
                        name,
                        role,
                        team: team.unwrap_or_default(),
                        org: org.unwrap_or_default(),
                        password: password.trim_end_matches(['\r', '\n']).to_string(),
                    };
                    let c = app.add_user_system(&input).await.map_err(friendly)?;
                    println!("Added {} ({}).", c.user.email, c.user.role.as_str());
                    if let Some(p) = c.generated_password {
                        println!("Password (shown once): {p}");
                    }
                    if let Some(t) = c.totp_secret {
                        println!("Authenticator app secret (shown once): {t}");
                        println!("  {}", harbour_app::auth::otpauth_uri(&c.user.email, &t));
                    }
                }
                UserCommand::Disable { email } => {
                    let (u, n) = app.disable_user_system(&email).await.map_err(|e| match e {
                        AppError::NotFound => anyhow::anyhow!("no account has the email {email}"),
                        e => friendly(e),
                    })?;
                    println!("Disabled {}; {n} sessions ended.", u.email);
                }
            }
        }
        Command::Org {
            command:
                OrgCommand::Add {
                    name,
                    kind,
                    la,
                    email,
                },
        } => {
            let app = open(config, false).await?;
            let o = app
                .add_org_system(&name, &kind, la.as_deref())
                .await
                .map_err(friendly)?;
            if let Some(e) = email.as_deref() {
                app.set_org_email(&o.name, Some(e))
                    .await
                    .map_err(friendly)?;
            }
            println!("Added {} ({}).", o.name, o.kind.as_str());
        }
        Command::Org {
            command: OrgCommand::Email { name, email },
        } => {
            let app = open(config, false).await?;
            app.set_org_email(&name, email.as_deref())
                .await
                .map_err(friendly)?;
            match email {
                Some(e) => println!("Notifications for {name} will be e-mailed to {e}."),
                None => println!("Notifications for {name} will not be e-mailed."),
            }
        }
        Command::Token {
            command: TokenCommand::Revoke { user, name },
        } => {
            let app = open(config, false).await?;
            let n = app
                .revoke_token_system(&user, &name)
                .await
                .map_err(|e| match e {
                    AppError::NotFound => anyhow::anyhow!("no account has the email {user}"),
                    e => friendly(e),
                })?;
            println!("Revoked {n} token(s) named '{name}' for {user}.");
        }
        Command::Token {
            command: TokenCommand::Create { user, name },
        } => {
            let app = open(config, false).await?;
            let t = app
                .create_token_system(&user, &name)
                .await
                .map_err(|e| match e {
                    AppError::NotFound => anyhow::anyhow!("no account has the email {user}"),
                    e => friendly(e),
                })?;
            println!("{t}");
            eprintln!("This token is shown once. Send it as 'Authorization: Bearer <token>'.");
        }
        Command::Audit {
            command:
                AuditCommand::Verify {
                    checkpoints: Some(dir),
                    public_key: Some(key),
                },
        } => {
            let public = checkpoints::read_public_key(&key).map_err(friendly)?;
            let files = checkpoints::read_checkpoint_dir(&dir)
                .with_context(|| format!("reading {}", dir.display()))?;
            if files.is_empty() {
                bail!("no checkpoint-*.txt files in {}", dir.display());
            }
            let app = open(config, false).await?;
            let r = app
                .verify_audit_checkpoints(&public, &files)
                .await
                .map_err(friendly)?;
            if let Some(b) = &r.chain.broken {
                eprintln!("audit trail broken: {b}");
            }
            for b in &r.broken {
                eprintln!("checkpoint broken: {b}");
            }
            if !r.ok() {
                bail!(
                    "audit trail does not verify ({} of {} checkpoints held)",
                    r.held,
                    files.len()
                );
            }
            let latest = r.latest.as_ref().map(|c| c.seq).unwrap_or(0);
            println!(
                "Audit trail intact: {} entries; {} signed checkpoints hold (latest: entry {latest}).",
                r.chain.entries, r.held
            );
        }
        Command::Audit {
            command: AuditCommand::Verify { .. },
        } => {
            let app = open(config, false).await?;
            let r = app.verify_audit_chain().await.map_err(friendly)?;
            match r.broken {
                None => println!("Audit trail intact: {} entries.", r.entries),
                Some(b) => bail!("audit trail broken: {b}"),
            }
        }
        Command::Audit {
            command: AuditCommand::Checkpoint,
        } => {
            if config.audit_checkpoint_key.is_empty() {
                bail!("set audit_checkpoint_key (docs/CONFIGURATION.md) to sign checkpoints");
            }
            let seed =
                checkpoints::read_signing_key(std::path::Path::new(&config.audit_checkpoint_key))
                    .map_err(friendly)?;
            let app = open(config, false).await?;
            let c = app.take_audit_checkpoint(&seed).await.map_err(friendly)?;
            println!(
                "Audit checkpoint signed: entry {} ({} entries), hash {}.",
                c.seq, c.entries, c.hash
            );
            if !app.config.audit_checkpoint_dir.is_empty() {
                println!("Exported to {}.", app.config.audit_checkpoint_dir);
            }
        }
        Command::Audit {
            command: AuditCommand::Keygen { out },
        } => {
            let seed: [u8; 32] = rand::random();
            write_new(&out, checkpoint::private_key_pem(&seed).as_bytes(), 0o600)?;
            let public = checkpoint::public_key_pem(&checkpoint::public_key(&seed));
            let pub_path = std::path::PathBuf::from(format!("{}.pub", out.display()));
            write_new(&pub_path, public.as_bytes(), 0o644)?;
            eprintln!(
                "Private key written to {} (keep it secret; set audit_checkpoint_key to it). Public key, also in {}:",
                out.display(),
                pub_path.display()
            );
            print!("{public}");
        }
        Command::Backup { out } => {
            let app = open(config, false).await?;
            if app.db.backend() == harbour_db::Backend::Postgres {
                bail!(
                    "harbour backup copies SQLite databases. Back up PostgreSQL with pg_dump --format=custom, or pg_basebackup with WAL archiving for point-in-time recovery (or your managed service's backups): see docs/BACKUPS.md."
                );
            }
            if out.exists() {
                bail!("{} already exists; choose a new file", out.display());
            }
            let path = out
                .to_str()
                .context("the backup path must be valid UTF-8")?
                .to_string();
            app.db
                .sqlite_backup_into(&path)
                .await
                .context("the backup failed")?;
            app.db.close().await;
            // Check the copy itself, as a restore would see it.
            let mut copy_config = app.config.as_ref().clone();
            copy_config.database_url = format!("sqlite://{path}");
            let copy = open(copy_config, false).await?;
            if !copy.db.integrity_check().await? {
                bail!("the copy at {path} failed its integrity check");
            }
            let r = copy.verify_audit_chain().await.map_err(friendly)?;
            copy.db.close().await;
            if let Some(b) = r.broken {
                bail!("the copy at {path} was written but its audit trail is broken: {b}");
            }
            println!(
                "Backup written to {path}: integrity ok, audit trail intact ({} entries).",
                r.entries
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }
}
