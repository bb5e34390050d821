//! The audit trail's hash chain. Each entry's hash is
//! `SHA-256(previous hash || canonical bytes of the entry)`, where the
//! canonical bytes are a fixed field order with every field length-prefixed,
//! so no two different entries can encode to the same bytes. Entries hold ids
//! and codes, never personal content, so retention deletes elsewhere never
//! break the chain.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The hash that precedes the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Whether the policy allowed the action.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Allowed and carried out.
    Allow,
    /// Refused.
    Deny,
}

impl Outcome {
    /// Machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Allow => "allow",
            Outcome::Deny => "deny",
        }
    }
    /// Parse.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "allow" => Some(Self::Allow),
            "deny" => Some(Self::Deny),
            _ => None,
        }
    }
}

/// What an audit entry says, before it has a place in the chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// The user who acted, if signed in.
    pub actor_id: Option<Uuid>,
    /// Their role at the time (machine name), or "anonymous" / "system".
    pub actor_role: String,
    /// The action, e.g. `child.view`, `note.create`, `session.sign_in`.
    pub action: String,
    /// What kind of thing was acted on, e.g. `child`, `user`.
    pub target_kind: String,
    /// Its id, where there is one.
    pub target_id: Option<Uuid>,
    /// The child whose record this concerns, where there is one.
    pub child_id: Option<Uuid>,
    /// Allowed or denied.
    pub outcome: Outcome,
    /// The reason for a denial or a break-glass, in codes or the user's words.
    pub reason: Option<String>,
    /// The request that caused it.
    pub request_id: Option<String>,
}

/// An entry as stored: the event plus its place and hash in the chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Position in the chain, from 1.
    pub seq: i64,
    /// When (UTC, microseconds).
    pub at: DateTime<Utc>,
    /// The event.
    pub event: AuditEvent,
    /// The previous entry's hash.
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

fn put(buf: &mut Vec<u8>, field: &[u8]) {
    buf.extend_from_slice(&(field.len() as u64).to_be_bytes());
    buf.extend_from_slice(field);
}

fn put_opt(buf: &mut Vec<u8>, field: Option<&[u8]>) {
    match field {
        None => buf.push(0),
        Some(f) => {
            buf.push(1);
            put(buf, f);
        }
    }
}

/// The canonical bytes of an entry: fixed order, length-prefixed, with a
/// presence byte for optional fields.
pub fn canonical_bytes(seq: i64, at: DateTime<Utc>, e: &AuditEvent) -> Vec<u8> {
    let mut b = Vec::with_capacity(256);
    put(&mut b, b"harbour-audit-v1");
    put(&mut b, &seq.to_be_bytes());
    put(&mut b, &at.timestamp_micros().to_be_bytes());
    put_opt(&mut b, e.actor_id.as_ref().map(|u| u.as_bytes().as_slice()));
    put(&mut b, e.actor_role.as_bytes());
    put(&mut b, e.action.as_bytes());
    put(&mut b, e.target_kind.as_bytes());
    put_opt(
        &mut b,
        e.target_id.as_ref().map(|u| u.as_bytes().as_slice()),
    );
    put_opt(&mut b, e.child_id.as_ref().map(|u| u.as_bytes().as_slice()));
    put(&mut b, e.outcome.as_str().as_bytes());
    put_opt(&mut b, e.reason.as_deref().map(str::as_bytes));
    put_opt(&mut b, e.request_id.as_deref().map(str::as_bytes));
    b
}

/// The hash of an entry given the previous hash (hex).
pub fn chain_hash(prev_hash: &str, seq: i64, at: DateTime<Utc>, e: &AuditEvent) -> String {
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(canonical_bytes(seq, at, e));
    hex::encode(h.finalize())
}

/// Why a chain does not verify.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    /// An entry is missing or out of order.
    #[error(
        "entry {found} found where entry {expected} was expected (an entry was deleted or reordered)"
    )]
    Sequence {
        /// The expected sequence number.
        expected: i64,
        /// The one found.
        found: i64,
    },
    /// An entry does not point at its predecessor.
    #[error("entry {seq} does not follow the entry before it (its previous-hash does not match)")]
    Link {
        /// The entry.
        seq: i64,
    },
    /// An entry's content does not match its hash.
    #[error("entry {seq} has been modified (its hash does not match its content)")]
    Content {
        /// The entry.
        seq: i64,
    },
    /// The chain does not end where the recorded head says.
    #[error(
        "the chain ends at entry {last} but the recorded head is entry {head} (entries were removed from the end, or added without the head)"
    )]
    Head {
        /// Last entry seen.
        last: i64,
        /// Head recorded.
        head: i64,
    },
    /// The chain ends at the recorded head's position with another hash:
    /// entries were rewritten and re-hashed from some point on. The chain
    /// alone cannot tell where; a signed checkpoint can.
    #[error(
        "entry {seq}, the last, does not have the recorded head's hash (entries were rewritten and re-hashed; check against signed checkpoints to find where)"
    )]
    HeadHash {
        /// The last entry.
        seq: i64,
    },
}

/// Incremental verifier: feed entries in order.
#[derive(Clone, Debug)]
pub struct ChainVerifier {
    expected_seq: i64,
    prev_hash: String,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        Self {
            expected_seq: 1,
            prev_hash: GENESIS_HASH.to_string(),
        }
    }
}

impl ChainVerifier {
    /// Check the next entry.
    pub fn check(&mut self, entry: &AuditEntry) -> Result<(), ChainBreak> {
        if entry.seq != self.expected_seq {
            return Err(ChainBreak::Sequence {
                expected: self.expected_seq,
                found: entry.seq,
            });
        }
        if entry.prev_hash != self.prev_hash {
            return Err(ChainBreak::Link { seq: entry.seq });
        }
        let want = chain_hash(&entry.prev_hash, entry.seq, entry.at, &entry.event);
        if want != entry.hash {
            return Err(ChainBreak::Content { seq: entry.seq });
        }
        self.expected_seq += 1;
        self.prev_hash = entry.hash.clone();
        Ok(())
    }

    /// After the last entry: compare with the recorded head.
    pub fn finish(&self, head_seq: i64, head_hash: &str) -> Result<i64, ChainBreak> {
        let last = self.expected_seq - 1;
        if last != head_seq {
            return Err(ChainBreak::Head {
                last,
                head: head_seq,
            });
        }
        if self.prev_hash != head_hash {
            return Err(ChainBreak::HeadHash { seq: last });
        }
        Ok(last)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(action: &str) -> AuditEvent {
        AuditEvent {
            actor_id: Some(Uuid::nil()),
            actor_role: "social_worker".into(),
            action: action.into(),
            target_kind: "child".into(),
            target_id: None,
            child_id: None,
            outcome: Outcome::Allow,
            reason: None,
            request_id: Some("r1".into()),
        }
    }

    fn chain(n: i64) -> Vec<AuditEntry> {
        let mut prev = GENESIS_HASH.to_string();
        (1..=n)
            .map(|seq| {
                let at = DateTime::from_timestamp(1_700_000_000 + seq, 0).unwrap();
                let event = ev(&format!("a{seq}"));
                let hash = chain_hash(&prev, seq, at, &event);
                let e = AuditEntry {
                    seq,
                    at,
                    event,
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                e
            })
            .collect()
    }

    fn verify(entries: &[AuditEntry], head: (i64, &str)) -> Result<i64, ChainBreak> {
        let mut v = ChainVerifier::default();
        for e in entries {
            v.check(e)?;
        }
        v.finish(head.0, head.1)
    }

    #[test]
    fn intact_chain_verifies() {
        let c = chain(5);
        let head = c.last().unwrap().hash.clone();
        assert_eq!(verify(&c, (5, &head)), Ok(5));
    }

    #[test]
    fn tampering_is_detected_each_way() {
        let c = chain(5);
        let head = c.last().unwrap().hash.clone();

        let mut modified = c.clone();
        modified[2].event.action = "child.view".into();
        assert_eq!(
            verify(&modified, (5, &head)),
            Err(ChainBreak::Content { seq: 3 })
        );

        let mut deleted = c.clone();
        deleted.remove(1);
        assert_eq!(
            verify(&deleted, (5, &head)),
            Err(ChainBreak::Sequence {
                expected: 2,
                found: 3
            })
        );

        let mut reordered = c.clone();
        reordered.swap(1, 2);
        assert!(verify(&reordered, (5, &head)).is_err());

        let truncated = &c[..4];
        assert_eq!(
            verify(truncated, (5, &head)),
            Err(ChainBreak::Head { last: 4, head: 5 })
        );

        // Entry 3 rewritten and every later hash recomputed: each entry is
        // consistent with its predecessor, only the head catches it.
        let mut rehashed = c.clone();
        rehashed[2].event.action = "child.view".into();
        for i in 2..5 {
            let prev = rehashed[i - 1].hash.clone();
            let e = &mut rehashed[i];
            e.prev_hash = prev;
            e.hash = chain_hash(&e.prev_hash, e.seq, e.at, &e.event);
        }
        assert_eq!(
            verify(&rehashed, (5, &head)),
            Err(ChainBreak::HeadHash { seq: 5 })
        );
        // ... unless the head was rewritten too (what signed checkpoints catch).
        let new_head = rehashed[4].hash.clone();
        assert_eq!(verify(&rehashed, (5, &new_head)), Ok(5));
    }

    #[test]
    fn length_prefix_prevents_field_shifting() {
        let at = DateTime::from_timestamp(0, 0).unwrap();
        let mut a = ev("ab");
        a.target_kind = "c".into();
        let mut b = ev("a");
        b.target_kind = "bc".into();
        assert_ne!(canonical_bytes(1, at, &a), canonical_bytes(1, at, &b));
    }
}
