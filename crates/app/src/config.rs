//! Configuration: defaults, then a TOML file, then `HARBOUR_*` environment
//! variables, then command-line flags (the CLI applies the last three). Every
//! key is documented in `docs/CONFIGURATION.md`.

use serde::Deserialize;

/// How expensive password hashing is.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum HashCost {
    /// OWASP's argon2id recommendation: 19 MiB, 2 passes, 1 lane.
    #[default]
    Standard,
    /// Fast, for tests only.
    Test,
}

/// Harbour's settings.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Database URL: `sqlite://path` or `postgres://…`.
    pub database_url: String,
    /// Optional PostgreSQL streaming replica for report and dashboard reads
    /// (empty: none). Reads fall back to the primary when it is unavailable.
    pub database_replica_url: String,
    /// Whether this instance runs background jobs (claims them from the queue).
    pub job_runner: bool,
    /// Whether this instance enqueues the periodic jobs.
    pub job_scheduler: bool,
    /// Address to listen on.
    pub listen: String,
    /// The public origin users reach Harbour at (scheme://host[:port]); used for CSRF origin checks.
    pub public_origin: String,
    /// Mark cookies `Secure` and send HSTS (turn off only for plain-http local testing).
    pub cookie_secure: bool,
    /// Sessions end after this many minutes without activity.
    pub session_idle_minutes: i64,
    /// Sessions end this many hours after sign-in, whatever the activity.
    pub session_absolute_hours: i64,
    /// Failed sign-ins before an account is locked.
    pub lockout_threshold: i32,
    /// Minutes an account stays locked.
    pub lockout_minutes: i64,
    /// Sign-in attempts allowed per client address per 5 minutes.
    pub sign_in_attempts_per_ip: u32,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Seconds before a request is abandoned with 503.
    pub request_timeout_seconds: u64,
    /// Admission control: requests handled at once; more wait up to
    /// `admission_wait_ms`, then get 503 with `Retry-After`.
    pub max_in_flight: u32,
    /// Admission control: milliseconds a request beyond `max_in_flight`
    /// waits for a place before it is refused.
    pub admission_wait_ms: u64,
    /// Database connections (SQLite readers; PostgreSQL pool size).
    pub db_max_connections: u32,
    /// The home authority's DfE LA code.
    pub home_la: String,
    /// Password hashing cost.
    pub password_hash_cost: HashCost,
    /// Log filter (tracing's EnvFilter syntax).
    pub log: String,
    /// The Ed25519 private key (PEM file from `harbour audit keygen`) that
    /// signs audit checkpoints; empty: no checkpoints.
    pub audit_checkpoint_key: String,
    /// Directory each signed checkpoint is written to (mount or sync it off
    /// the server); empty: stored in the database only.
    pub audit_checkpoint_dir: String,
    /// Local thresholds for prompt action on missing reports (`[missing_triggers]` in the file).
    pub missing_triggers: harbour_domain::missing::TriggerConfig,
    /// Panel review cadence (`[panel]` in the file).
    pub panel: harbour_domain::panel::PanelConfig,
    /// Outgoing e-mail for notifications to other organisations.
    pub smtp: SmtpConfig,
    /// Caseload weighting, capacity and thresholds (`[caseload]` in the file).
    pub caseload: harbour_domain::caseload::WeightingConfig,
    /// Supervision frequencies, the recording deadline and the management
    /// oversight threshold (`[supervision]` in the file).
    pub supervision: harbour_domain::supervision::SupervisionConfig,
    /// Exploitation screening: risk scale, indicator sets and escalation
    /// thresholds (`[screening]` in the file).
    pub screening: harbour_domain::screening::ScreeningConfig,
    /// Out of hours: the handover time, the crisis summary's chronology and
    /// the longest EDT alert (`[edt]` in the file).
    pub edt: harbour_domain::edt::EdtConfig,
    /// Local retention periods and the review lead time (`[retention]` in
    /// the file).
    pub retention: harbour_domain::retention::RetentionConfig,
    /// Single sign-on with OpenID Connect (`[oidc]` in the file).
    pub oidc: OidcConfig,
}

/// Single sign-on with OpenID Connect (for example Microsoft Entra ID).
/// With no `issuer`, there is no single sign-on.
#[derive(Clone, Debug, Deserialize, serde::Serialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct OidcConfig {
    /// The issuer, exactly as the provider states it; for Entra ID
    /// `https://login.microsoftonline.com/<tenant id>/v2.0`. Empty turns
    /// single sign-on off.
    pub issuer: String,
    /// The application (client) id registered at the provider.
    pub client_id: String,
    /// The client secret (set it through `HARBOUR_OIDC_CLIENT_SECRET`).
    pub client_secret: String,
    /// The ID token claim that holds the Harbour account's email address:
    /// `email`, `preferred_username` (Entra ID's sign-in name) or `upn`.
    pub account_claim: String,
    /// The text of the sign-in button.
    pub button_label: String,
    /// Whether people may still sign in with a Harbour password. When
    /// off, only system administrators can (so the service can be reached
    /// when the provider is down).
    pub password_sign_in: bool,
    /// The provider already requires a second factor for Harbour (Entra ID
    /// conditional access): accept a sign-on for the roles that need one
    /// without `mfa` in the token's `amr`.
    pub idp_enforces_mfa: bool,
    /// Seconds to wait for the provider.
    pub timeout_seconds: u64,
}

impl Default for OidcConfig {
    fn default() -> Self {
        Self {
            issuer: String::new(),
            client_id: String::new(),
            client_secret: String::new(),
            account_claim: "email".into(),
            button_label: "Sign in with your council account".into(),
            password_sign_in: true,
            idp_enforces_mfa: false,
            timeout_seconds: 10,
        }
    }
}

impl OidcConfig {
    /// Whether single sign-on is configured.
    pub fn enabled(&self) -> bool {
        !self.issuer.trim().is_empty()
    }

    /// What is wrong with these settings, if anything.
    pub fn problems(&self) -> Vec<String> {
        let mut v = Vec::new();
        if !self.enabled() {
            return v;
        }
        if !harbour_domain::oidc::secure_url(&self.issuer) {
            v.push("oidc.issuer must be an https address".to_string());
        }
        if self.client_id.trim().is_empty() {
            v.push("oidc.client_id is needed when oidc.issuer is set".to_string());
        }
        if !matches!(
            self.account_claim.as_str(),
            "email" | "preferred_username" | "upn"
        ) {
            v.push("oidc.account_claim must be email, preferred_username or upn".to_string());
        }
        if self.button_label.trim().is_empty() {
            v.push("oidc.button_label must not be empty".to_string());
        }
        if !(1..=120).contains(&self.timeout_seconds) {
            v.push("oidc.timeout_seconds must be between 1 and 120".to_string());
        }
        v
    }
}

/// How the connection to the mail server is secured.
#[derive(Clone, Copy, Debug, Deserialize, serde::Serialize, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS (required), usually port 587.
    #[default]
    Starttls,
    /// TLS from the first byte, usually port 465.
    Tls,
    /// No encryption: only for a relay on the same host or a test sink.
    None,
}

/// Outgoing e-mail (SMTP). With no `host`, nothing is e-mailed: notifications
/// wait in Harbour and are marked so people tell the recipient another way.
#[derive(Clone, Debug, Deserialize, serde::Serialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct SmtpConfig {
    /// Mail server host name; empty turns e-mail off.
    pub host: String,
    /// Port.
    pub port: u16,
    /// starttls, tls or none.
    pub security: SmtpSecurity,
    /// User name, if the server needs one.
    pub username: String,
    /// Password, if the server needs one.
    pub password: String,
    /// The From address.
    pub from: String,
    /// Give up on one attempt after this many seconds.
    pub timeout_seconds: u64,
    /// Attempts before a notification is marked failed.
    pub max_attempts: u32,
}

impl Default for SmtpConfig {
    fn default() -> Self {
        Self {
            host: String::new(),
            port: 587,
            security: SmtpSecurity::Starttls,
            username: String::new(),
            password: String::new(),
            from: "Harbour <harbour@localhost>".into(),
            timeout_seconds: 20,
            max_attempts: 8,
        }
    }
}

impl SmtpConfig {
    /// Whether e-mail is configured.
    pub fn enabled(&self) -> bool {
        !self.host.trim().is_empty()
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            database_url: "sqlite://harbour-data/harbour.db".into(),
            database_replica_url: String::new(),
            job_runner: true,
            job_scheduler: true,
            listen: "127.0.0.1:8080".into(),
            public_origin: "http://127.0.0.1:8080".into(),
            cookie_secure: true,
            session_idle_minutes: 30,
            session_absolute_hours: 10,
            lockout_threshold: 5,
            lockout_minutes: 15,
            sign_in_attempts_per_ip: 30,
            max_body_bytes: 256 * 1024,
            request_timeout_seconds: 30,
            max_in_flight: 64,
            admission_wait_ms: 50,
            db_max_connections: 8,
            home_la: "861".into(),
            password_hash_cost: HashCost::Standard,
            log: "info".into(),
            audit_checkpoint_key: String::new(),
            audit_checkpoint_dir: String::new(),
            missing_triggers: harbour_domain::missing::TriggerConfig::default(),
            panel: harbour_domain::panel::PanelConfig::default(),
            smtp: SmtpConfig::default(),
            caseload: harbour_domain::caseload::WeightingConfig::default(),
            supervision: harbour_domain::supervision::SupervisionConfig::default(),
            screening: harbour_domain::screening::ScreeningConfig::default(),
            edt: harbour_domain::edt::EdtConfig::default(),
            retention: harbour_domain::retention::RetentionConfig::default(),
            oidc: OidcConfig::default(),
        }
    }
}

/// The keys, their environment variables and meanings (kept in step with docs/CONFIGURATION.md by a test).
pub const KEYS: &[(&str, &str)] = &[
    ("database_url", "HARBOUR_DATABASE_URL"),
    ("database_replica_url", "HARBOUR_DATABASE_REPLICA_URL"),
    ("job_runner", "HARBOUR_JOB_RUNNER"),
    ("job_scheduler", "HARBOUR_JOB_SCHEDULER"),
    ("listen", "HARBOUR_LISTEN"),
    ("public_origin", "HARBOUR_PUBLIC_ORIGIN"),
    ("cookie_secure", "HARBOUR_COOKIE_SECURE"),
    ("session_idle_minutes", "HARBOUR_SESSION_IDLE_MINUTES"),
    ("session_absolute_hours", "HARBOUR_SESSION_ABSOLUTE_HOURS"),
    ("lockout_threshold", "HARBOUR_LOCKOUT_THRESHOLD"),
    ("lockout_minutes", "HARBOUR_LOCKOUT_MINUTES"),
    ("sign_in_attempts_per_ip", "HARBOUR_SIGN_IN_ATTEMPTS_PER_IP"),
    ("max_body_bytes", "HARBOUR_MAX_BODY_BYTES"),
    ("request_timeout_seconds", "HARBOUR_REQUEST_TIMEOUT_SECONDS"),
    ("max_in_flight", "HARBOUR_MAX_IN_FLIGHT"),
    ("admission_wait_ms", "HARBOUR_ADMISSION_WAIT_MS"),
    ("db_max_connections", "HARBOUR_DB_MAX_CONNECTIONS"),
    ("home_la", "HARBOUR_HOME_LA"),
    ("password_hash_cost", "HARBOUR_PASSWORD_HASH_COST"),
    ("log", "HARBOUR_LOG"),
    ("audit_checkpoint_key", "HARBOUR_AUDIT_CHECKPOINT_KEY"),
    ("audit_checkpoint_dir", "HARBOUR_AUDIT_CHECKPOINT_DIR"),
    ("smtp.host", "HARBOUR_SMTP_HOST"),
    ("smtp.port", "HARBOUR_SMTP_PORT"),
    ("smtp.security", "HARBOUR_SMTP_SECURITY"),
    ("smtp.username", "HARBOUR_SMTP_USERNAME"),
    ("smtp.password", "HARBOUR_SMTP_PASSWORD"),
    ("smtp.from", "HARBOUR_SMTP_FROM"),
    ("oidc.issuer", "HARBOUR_OIDC_ISSUER"),
    ("oidc.client_id", "HARBOUR_OIDC_CLIENT_ID"),
    ("oidc.client_secret", "HARBOUR_OIDC_CLIENT_SECRET"),
    ("oidc.account_claim", "HARBOUR_OIDC_ACCOUNT_CLAIM"),
    ("oidc.button_label", "HARBOUR_OIDC_BUTTON_LABEL"),
    ("oidc.password_sign_in", "HARBOUR_OIDC_PASSWORD_SIGN_IN"),
    ("oidc.idp_enforces_mfa", "HARBOUR_OIDC_IDP_ENFORCES_MFA"),
    ("oidc.timeout_seconds", "HARBOUR_OIDC_TIMEOUT_SECONDS"),
];

impl Config {
    /// Apply `HARBOUR_*` variables from `vars` over this configuration.
    pub fn apply_env(
        &mut self,
        vars: impl Iterator<Item = (String, String)>,
    ) -> Result<(), String> {
        let mut table = toml::Table::new();
        for (k, v) in vars {
            let Some((key, _)) = KEYS.iter().find(|(_, env)| *env == k) else {
                if k.starts_with("HARBOUR_")
                    && !k.starts_with("HARBOUR_TEST_")
                    && k != "HARBOUR_CONFIG"
                {
                    return Err(format!("unknown setting {k}"));
                }
                continue;
            };
            let value = match *key {
                "cookie_secure"
                | "job_runner"
                | "job_scheduler"
                | "oidc.password_sign_in"
                | "oidc.idp_enforces_mfa" => {
                    toml::Value::Boolean(matches!(v.as_str(), "1" | "true" | "yes"))
                }
                "session_idle_minutes"
                | "session_absolute_hours"
                | "lockout_threshold"
                | "lockout_minutes"
                | "sign_in_attempts_per_ip"
                | "max_body_bytes"
                | "request_timeout_seconds"
                | "max_in_flight"
                | "admission_wait_ms"
                | "db_max_connections"
                | "smtp.port"
                | "oidc.timeout_seconds" => toml::Value::Integer(
                    v.parse()
                        .map_err(|_| format!("{k} must be a whole number"))?,
                ),
                _ => toml::Value::String(v),
            };
            match key.split_once('.') {
                Some((section, field)) => {
                    let t = table
                        .entry(section.to_string())
                        .or_insert_with(|| toml::Value::Table(toml::Table::new()));
                    if let toml::Value::Table(t) = t {
                        t.insert(field.to_string(), value);
                    }
                }
                None => {
                    table.insert(key.to_string(), value);
                }
            }
        }
        self.merge(table)
    }

    /// Apply a TOML document over this configuration.
    pub fn apply_toml(&mut self, text: &str) -> Result<(), String> {
        let table: toml::Table =
            toml::from_str(text).map_err(|e| format!("configuration file: {e}"))?;
        self.merge(table)
    }

    fn merge(&mut self, overlay: toml::Table) -> Result<(), String> {
        let mut base = toml::Table::try_from(ConfigSer::from(&*self)).map_err(|e| e.to_string())?;
        for (k, v) in overlay {
            // Sections merge key by key, so an environment variable changes
            // one setting of a section the file set up.
            match (base.get_mut(&k), v) {
                (Some(toml::Value::Table(b)), toml::Value::Table(o)) => b.extend(o),
                (_, v) => {
                    base.insert(k, v);
                }
            }
        }
        *self = toml::Value::Table(base)
            .try_into()
            .map_err(|e: toml::de::Error| format!("configuration: {}", e.message()))?;
        if let Some(p) = self.screening.problems().into_iter().next() {
            return Err(format!("configuration: {p}"));
        }
        if let Some(p) = self.edt.problems().into_iter().next() {
            return Err(format!("configuration: {p}"));
        }
        if let Some(p) = self.retention.problems().into_iter().next() {
            return Err(format!("configuration: {p}"));
        }
        if let Some(p) = self.oidc.problems().into_iter().next() {
            return Err(format!("configuration: {p}"));
        }
        Ok(())
    }
}

/// Entry point of the `config` fuzz target and of the stable test that
/// replays its corpus: the bytes before the first NUL are a configuration
/// file for [`Config::apply_toml`], the lines after it `NAME=value` pairs
/// for [`Config::apply_env`]. A file that is accepted writes back to a
/// document that reads again to the same configuration.
#[doc(hidden)]
pub fn fuzz_entry(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (file, env) = text.split_once('\0').unwrap_or((&text, ""));
    let mut c = Config::default();
    if c.apply_toml(file).is_ok() {
        let written =
            toml::Table::try_from(ConfigSer::from(&c)).expect("a configuration writes out");
        let mut again = Config::default();
        again
            .merge(written.clone())
            .expect("a configuration written out reads again");
        let rewritten = toml::Table::try_from(ConfigSer::from(&again)).expect("writes out");
        assert_eq!(
            rewritten, written,
            "a configuration changes when read again"
        );
    }
    let vars = env
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()));
    let _ = c.apply_env(vars);
}

/// Serialisable mirror used to merge layers.
#[derive(serde::Serialize)]
struct ConfigSer {
    database_url: String,
    database_replica_url: String,
    job_runner: bool,
    job_scheduler: bool,
    listen: String,
    public_origin: String,
    cookie_secure: bool,
    session_idle_minutes: i64,
    session_absolute_hours: i64,
    lockout_threshold: i32,
    lockout_minutes: i64,
    sign_in_attempts_per_ip: u32,
    max_body_bytes: usize,
    request_timeout_seconds: u64,
    max_in_flight: u32,
    admission_wait_ms: u64,
    db_max_connections: u32,
    home_la: String,
    password_hash_cost: &'static str,
    log: String,
    audit_checkpoint_key: String,
    audit_checkpoint_dir: String,
    missing_triggers: harbour_domain::missing::TriggerConfig,
    panel: harbour_domain::panel::PanelConfig,
    smtp: SmtpConfig,
    caseload: harbour_domain::caseload::WeightingConfig,
    supervision: harbour_domain::supervision::SupervisionConfig,
    screening: harbour_domain::screening::ScreeningConfig,
    edt: harbour_domain::edt::EdtConfig,
    retention: harbour_domain::retention::RetentionConfig,
    oidc: OidcConfig,
}

impl From<&Config> for ConfigSer {
    fn from(c: &Config) -> Self {
        Self {
            database_url: c.database_url.clone(),
            database_replica_url: c.database_replica_url.clone(),
            job_runner: c.job_runner,
            job_scheduler: c.job_scheduler,
            listen: c.listen.clone(),
            public_origin: c.public_origin.clone(),
            cookie_secure: c.cookie_secure,
            session_idle_minutes: c.session_idle_minutes,
            session_absolute_hours: c.session_absolute_hours,
            lockout_threshold: c.lockout_threshold,
            lockout_minutes: c.lockout_minutes,
            sign_in_attempts_per_ip: c.sign_in_attempts_per_ip,
            max_body_bytes: c.max_body_bytes,
            request_timeout_seconds: c.request_timeout_seconds,
            max_in_flight: c.max_in_flight,
            admission_wait_ms: c.admission_wait_ms,
            db_max_connections: c.db_max_connections,
            home_la: c.home_la.clone(),
            password_hash_cost: match c.password_hash_cost {
                HashCost::Standard => "standard",
                HashCost::Test => "test",
            },
            log: c.log.clone(),
            audit_checkpoint_key: c.audit_checkpoint_key.clone(),
            audit_checkpoint_dir: c.audit_checkpoint_dir.clone(),
            missing_triggers: c.missing_triggers.clone(),
            panel: c.panel.clone(),
            smtp: c.smtp.clone(),
            caseload: c.caseload.clone(),
            supervision: c.supervision.clone(),
            screening: c.screening.clone(),
            edt: c.edt.clone(),
            retention: c.retention.clone(),
            oidc: c.oidc.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_caseload_table_sets_the_weighting() {
        let mut c = Config::default();
        assert_eq!(c.caseload.capacity_per_fte, 100);
        assert_eq!(c.caseload.asye_cap_percent, 90);
        c.apply_toml("[caseload]\ncapacity_per_fte = 110\nasye_cap_percent = 85\n")
            .unwrap();
        assert_eq!(c.caseload.capacity_per_fte, 110);
        assert_eq!(c.caseload.asye_cap_percent, 85);
        assert_eq!(c.caseload.red_percent, 100, "the rest keep their defaults");
        assert!(c.apply_toml("[caseload]\ncapacity = 1\n").is_err());
    }

    #[test]
    fn screening_table_sets_the_scale_and_indicators() {
        let mut c = Config::default();
        c.apply_toml(
            "[screening]\nlevels = [\"Category 1\", \"Category 2\", \"Category 3\"]\nconcern_level = \"Category 2\"\nescalation_level = \"Category 3\"\n\n[[screening.categories]]\nid = \"cse\"\nlabel = \"CSE\"\ncin_factor = \"11A\"\nindicators = [{ id = \"older_boyfriend\", label = \"Older boyfriend\", high_risk = true }]\n",
        )
        .unwrap();
        assert_eq!(c.screening.levels.len(), 3);
        assert_eq!(c.screening.categories.len(), 1);
        assert_eq!(c.screening.repeat_count, 3);
        let mut bad = Config::default();
        let e = bad
            .apply_toml("[screening]\nescalation_level = \"Severe\"\n")
            .unwrap_err();
        assert!(e.contains("escalation_level"), "{e}");
    }

    #[test]
    fn layers_apply_in_order() {
        let mut c = Config::default();
        c.apply_toml("listen = \"0.0.0.0:9000\"\nsession_idle_minutes = 20\n")
            .unwrap();
        assert_eq!(c.listen, "0.0.0.0:9000");
        c.apply_env(
            [
                ("HARBOUR_SESSION_IDLE_MINUTES".to_string(), "15".to_string()),
                ("HARBOUR_COOKIE_SECURE".into(), "false".into()),
                ("PATH".into(), "/bin".into()),
            ]
            .into_iter(),
        )
        .unwrap();
        assert_eq!(c.session_idle_minutes, 15);
        assert!(!c.cookie_secure);
        assert_eq!(c.listen, "0.0.0.0:9000");
        c.apply_toml("[missing_triggers]\nrepeat_count = 2\nyoung_child_age = 12\n")
            .unwrap();
        c.apply_toml("[smtp]\nhost = \"mail.example.test\"\nport = 2525\n")
            .unwrap();
        c.apply_env([("HARBOUR_SMTP_SECURITY".to_string(), "none".to_string())].into_iter())
            .unwrap();
        assert_eq!(
            (c.smtp.host.as_str(), c.smtp.port, c.smtp.security),
            ("mail.example.test", 2525, SmtpSecurity::None)
        );
        assert!(c.smtp.enabled());
        assert_eq!(
            (
                c.missing_triggers.repeat_count,
                c.missing_triggers.young_child_age,
                c.missing_triggers.repeat_days
            ),
            (2, 12, 30)
        );
        c.apply_toml("[supervision]\nrecording_working_days = 3\noversight_days = 20\n")
            .unwrap();
        assert_eq!(
            (
                c.supervision.recording_working_days,
                c.supervision.oversight_days,
                c.supervision.interval_months
            ),
            (3, 20, 1)
        );
    }

    #[test]
    fn bad_settings_are_refused_clearly() {
        let mut c = Config::default();
        assert!(c.apply_toml("nonsense = 1").is_err());
        assert!(
            c.apply_env([("HARBOUR_LOCKOUT_MINUTES".to_string(), "ten".to_string())].into_iter())
                .unwrap_err()
                .contains("whole number")
        );
        assert!(
            c.apply_env([("HARBOUR_LISTN".to_string(), "x".to_string())].into_iter())
                .unwrap_err()
                .contains("unknown setting")
        );
    }

    #[test]
    fn the_edt_table_sets_the_handover_time() {
        let mut c = Config::default();
        assert_eq!(c.edt.handover_due, "10:00");
        c.apply_toml("[edt]\nhandover_due = \"09:30\"\n").unwrap();
        assert_eq!(c.edt.due_time(), chrono::NaiveTime::from_hms_opt(9, 30, 0));
        assert_eq!(c.edt.chronology_weeks, 6, "the rest keep their defaults");
        assert!(c.apply_toml("[edt]\nhandover_due = \"nine\"\n").is_err());
        assert!(c.apply_toml("[edt]\nhandover = \"10:00\"\n").is_err());
    }

    #[test]
    fn every_key_is_documented() {
        let doc = include_str!("../../../docs/CONFIGURATION.md");
        for (key, env) in KEYS {
            assert!(
                doc.contains(key) && doc.contains(env),
                "{key} / {env} missing from docs/CONFIGURATION.md"
            );
        }
    }
}
