//! Signed checkpoints of the audit chain's head: taken once a day by `serve`
//! and on demand by `harbour audit checkpoint`, stored in `audit_checkpoints`
//! and written as files (`checkpoint-<seq>.txt`, the signed message, and
//! `.sig`, the raw 64-byte Ed25519 signature) to `audit_checkpoint_dir`, so
//! they can be kept and checked away from the server.

use crate::admin::system_event;
use crate::{App, AppError, AppResult};
use chrono::{DateTime, TimeDelta, Utc};
use harbour_db::audit::{self, StoredCheckpoint};
use harbour_domain::audit::ChainBreak;
use harbour_domain::checkpoint::{self, Checkpoint, CheckpointBreak};
use std::path::Path;

/// How often `serve` takes a checkpoint.
pub const CHECKPOINT_EVERY: TimeDelta = TimeDelta::hours(24);

/// Read an Ed25519 private key file (PEM).
pub fn read_signing_key(path: &Path) -> AppResult<[u8; 32]> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| AppError::Internal(format!("reading {}: {e}", path.display())))?;
    checkpoint::parse_private_key_pem(&text)
        .map_err(|e| AppError::Internal(format!("{}: {e}", path.display())))
}

/// Read an Ed25519 public key file (PEM).
pub fn read_public_key(path: &Path) -> AppResult<[u8; 32]> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| AppError::Internal(format!("reading {}: {e}", path.display())))?;
    checkpoint::parse_public_key_pem(&text)
        .map_err(|e| AppError::Internal(format!("{}: {e}", path.display())))
}

/// The result of checking exported checkpoints against the chain.
#[derive(Clone, Debug)]
pub struct CheckpointReport {
    /// The chain's own verification.
    pub chain: crate::oversight::ChainReport,
    /// Checkpoints whose signature and head held.
    pub held: usize,
    /// The latest checkpoint that held.
    pub latest: Option<Checkpoint>,
    /// Every checkpoint that did not hold, in file order.
    pub broken: Vec<CheckpointBreak>,
}

impl CheckpointReport {
    /// Whether the chain and every checkpoint held.
    pub fn ok(&self) -> bool {
        self.chain.broken.is_none() && self.broken.is_empty()
    }
}

/// One exported checkpoint read from disk: name, message bytes, signature.
pub type CheckpointFile = (String, Vec<u8>, Vec<u8>);

/// Read every `checkpoint-*.txt` with its `.sig` from a directory, in name
/// (chain) order. A message without its signature is reported as a file with
/// an empty signature, which then fails verification.
pub fn read_checkpoint_dir(dir: &Path) -> std::io::Result<Vec<CheckpointFile>> {
    let mut names: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("checkpoint-") && n.ends_with(".txt"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|n| {
            let msg = std::fs::read(dir.join(&n))?;
            let sig = std::fs::read(dir.join(n.replace(".txt", ".sig"))).unwrap_or_default();
            Ok((n, msg, sig))
        })
        .collect()
}

impl App {
    /// Sign the chain's current head with `seed`, store it and write an
    /// `audit.checkpoint` row, in one transaction; then export every stored
    /// checkpoint to `audit_checkpoint_dir` if set. The checkpoint covers the
    /// head before its own audit row.
    pub async fn take_audit_checkpoint(&self, seed: &[u8; 32]) -> AppResult<Checkpoint> {
        let now = self.now();
        let mut tx = self.db.begin_write().await?;
        let (seq, hash) = audit::head(&mut tx).await?;
        let c = Checkpoint {
            seq,
            hash,
            at: now,
            entries: audit::count(&mut tx).await?,
        };
        let sig = checkpoint::sign(seed, c.message().as_bytes());
        let stored = StoredCheckpoint {
            checkpoint: c.clone(),
            signature: hex::encode(sig),
            public_key: hex::encode(checkpoint::public_key(seed)),
        };
        // The head has not moved since the last checkpoint: nothing to add.
        if audit::insert_checkpoint(&mut tx, &stored).await? {
            self.audit(
                &mut tx,
                &system_event(
                    "audit.checkpoint",
                    "service",
                    None,
                    Some(format!("entry {seq}")),
                ),
            )
            .await?;
        }
        tx.commit().await?;
        if !self.config.audit_checkpoint_dir.is_empty() {
            self.export_audit_checkpoints(Path::new(&self.config.audit_checkpoint_dir))
                .await?;
        }
        Ok(c)
    }

    /// The daily run: with `audit_checkpoint_key` set, take a checkpoint if
    /// none was taken in the last 24 hours.
    pub async fn audit_checkpoint_if_due(&self) -> AppResult<Option<Checkpoint>> {
        if self.config.audit_checkpoint_key.is_empty() {
            return Ok(None);
        }
        let seed = read_signing_key(Path::new(&self.config.audit_checkpoint_key))?;
        let mut tx = self.db.begin_read().await?;
        let latest: Option<DateTime<Utc>> = audit::latest_checkpoint_at(&mut tx).await?;
        tx.commit().await?;
        if latest.is_some_and(|at| self.now() - at < CHECKPOINT_EVERY) {
            return Ok(None);
        }
        self.take_audit_checkpoint(&seed).await.map(Some)
    }

    /// Write every stored checkpoint that is not yet in `dir` (created if
    /// missing). Returns how many files pairs were written.
    pub async fn export_audit_checkpoints(&self, dir: &Path) -> AppResult<usize> {
        let mut tx = self.db.begin_read().await?;
        let all = audit::checkpoints(&mut tx).await?;
        tx.commit().await?;
        let io = |e: std::io::Error| AppError::Internal(format!("{}: {e}", dir.display()));
        std::fs::create_dir_all(dir).map_err(io)?;
        let mut n = 0;
        for s in all {
            let stem = s.checkpoint.file_stem();
            let txt = dir.join(format!("{stem}.txt"));
            if txt.exists() {
                continue;
            }
            let sig = hex::decode(&s.signature)
                .map_err(|e| AppError::Internal(format!("checkpoint {stem}: {e}")))?;
            // Signature first, so a message on disk always has its signature.
            std::fs::write(dir.join(format!("{stem}.sig")), sig).map_err(io)?;
            std::fs::write(&txt, s.checkpoint.message()).map_err(io)?;
            n += 1;
        }
        Ok(n)
    }

    /// Verify the chain, then every exported checkpoint: its signature under
    /// `public`, and that the chain still holds its head (same hash at the
    /// same sequence number).
    pub async fn verify_audit_checkpoints(
        &self,
        public: &[u8; 32],
        files: &[CheckpointFile],
    ) -> AppResult<CheckpointReport> {
        let chain = self.verify_audit_chain().await?;
        let mut tx = self.db.begin_read().await?;
        let (head, _) = audit::head(&mut tx).await?;
        // A chain cut short names where it ends; otherwise the head does.
        let last = match chain.broken {
            Some(ChainBreak::Head { last, .. }) => last,
            _ => head,
        };
        let mut report = CheckpointReport {
            chain,
            held: 0,
            latest: None,
            broken: Vec::new(),
        };
        for (name, msg, sig) in files {
            let r = match checkpoint::open(name, public, msg, sig) {
                Ok(c) => {
                    let h = audit::entry_hash(&mut tx, c.seq).await?;
                    checkpoint::check_against_chain(&c, h.as_deref(), last).map(|()| c)
                }
                Err(b) => Err(b),
            };
            match r {
                Ok(c) => {
                    report.held += 1;
                    report.latest = Some(c);
                }
                Err(b) => report.broken.push(b),
            }
        }
        tx.commit().await?;
        Ok(report)
    }
}
