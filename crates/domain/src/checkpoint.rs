//! Signed checkpoints of the audit chain's head. Triggers stop the
//! application changing audit rows, but not the database's owner: someone
//! with direct access can cut rows from the end, or rewrite the chain and the
//! head row together so that `audit verify` passes. A checkpoint (the head's
//! sequence number and hash, when it was taken and how many entries the chain
//! held), signed with an Ed25519 key and kept off the server, lets anyone
//! check later that the chain still contains that head.
//!
//! The signed message is plain text, so it can be read and its signature
//! checked without Harbour (`openssl pkeyutl -verify -rawin`, OpenSSL 3).
//! Keys are PEM files in the standard formats (PKCS #8 private key, SPKI
//! public key; RFC 8410), which OpenSSL reads too.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, SecondsFormat, Utc};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};

/// First line of every checkpoint message (the format's version).
pub const MAGIC: &str = "harbour-audit-checkpoint-v1";

/// The head of the audit chain at one moment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    /// The last entry's sequence number.
    pub seq: i64,
    /// The last entry's hash (hex).
    pub hash: String,
    /// When the checkpoint was taken (UTC, microseconds).
    pub at: DateTime<Utc>,
    /// How many entries the chain held.
    pub entries: i64,
}

/// Why a checkpoint file could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    /// The message is not in the checkpoint format.
    #[error("not a Harbour audit checkpoint ({0})")]
    Message(&'static str),
    /// A key file is not an Ed25519 key in PEM.
    #[error("not an Ed25519 {0} key in PEM format")]
    Key(&'static str),
}

impl Checkpoint {
    /// The canonical message that is signed: five lines, each ending in a
    /// line feed, in this order and spelling:
    ///
    /// ```text
    /// harbour-audit-checkpoint-v1
    /// seq=1234
    /// hash=<64 lowercase hex digits>
    /// at=2026-11-26T02:00:00.000000Z
    /// entries=1234
    /// ```
    pub fn message(&self) -> String {
        format!(
            "{MAGIC}\nseq={}\nhash={}\nat={}\nentries={}\n",
            self.seq,
            self.hash,
            self.at.to_rfc3339_opts(SecondsFormat::Micros, true),
            self.entries
        )
    }

    /// Read a message back. Only the exact canonical bytes are accepted, so
    /// one checkpoint has one message.
    pub fn parse(msg: &[u8]) -> Result<Self, FormatError> {
        let text = std::str::from_utf8(msg).map_err(|_| FormatError::Message("not UTF-8"))?;
        let mut lines = text.split_terminator('\n');
        if lines.next() != Some(MAGIC) {
            return Err(FormatError::Message("first line"));
        }
        let mut field = |name: &'static str| {
            lines
                .next()
                .and_then(|l| l.strip_prefix(name))
                .and_then(|l| l.strip_prefix('='))
                .ok_or(FormatError::Message(name))
        };
        let seq = field("seq")?
            .parse()
            .map_err(|_| FormatError::Message("seq"))?;
        let hash = field("hash")?.to_string();
        let at = DateTime::parse_from_rfc3339(field("at")?)
            .map_err(|_| FormatError::Message("at"))?
            .with_timezone(&Utc);
        let entries = field("entries")?
            .parse()
            .map_err(|_| FormatError::Message("entries"))?;
        let c = Checkpoint {
            seq,
            hash,
            at,
            entries,
        };
        if c.message().as_bytes() != msg {
            return Err(FormatError::Message("not in canonical form"));
        }
        Ok(c)
    }

    /// The exported files' name without extension: `checkpoint-` and the
    /// sequence number padded to 12 digits, so names sort in chain order.
    pub fn file_stem(&self) -> String {
        format!("checkpoint-{:012}", self.seq)
    }
}

/// Sign a message with a private key (its 32-byte seed).
pub fn sign(seed: &[u8; 32], msg: &[u8]) -> [u8; 64] {
    SigningKey::from_bytes(seed).sign(msg).to_bytes()
}

/// The public key of a private key.
pub fn public_key(seed: &[u8; 32]) -> [u8; 32] {
    SigningKey::from_bytes(seed).verifying_key().to_bytes()
}

/// Whether `sig` is a valid signature of `msg` by `public` (strict RFC 8032
/// verification: no malleable or small-order forms).
pub fn verify(public: &[u8; 32], msg: &[u8], sig: &[u8]) -> bool {
    let Ok(key) = VerifyingKey::from_bytes(public) else {
        return false;
    };
    let Ok(sig) = Signature::from_slice(sig) else {
        return false;
    };
    key.verify_strict(msg, &sig).is_ok()
}

// DER prefixes of the RFC 8410 encodings of Ed25519 keys (OID 1.3.101.112).
const PKCS8_PREFIX: [u8; 16] = [
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];
const SPKI_PREFIX: [u8; 12] = [
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
];

fn pem(label: &str, der: &[u8]) -> String {
    format!(
        "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
        STANDARD.encode(der)
    )
}

fn unpem(text: &str, label: &str, prefix: &[u8]) -> Option<[u8; 32]> {
    let body = text
        .trim()
        .strip_prefix(&format!("-----BEGIN {label}-----"))?
        .strip_suffix(&format!("-----END {label}-----"))?;
    let b64: String = body.split_whitespace().collect();
    let der = STANDARD.decode(b64).ok()?;
    der.strip_prefix(prefix)?.try_into().ok()
}

/// A private key (seed) as a PKCS #8 PEM file.
pub fn private_key_pem(seed: &[u8; 32]) -> String {
    pem("PRIVATE KEY", &[&PKCS8_PREFIX[..], seed].concat())
}

/// Read a PKCS #8 PEM Ed25519 private key (as written by `private_key_pem`
/// or `openssl genpkey -algorithm ed25519`).
pub fn parse_private_key_pem(text: &str) -> Result<[u8; 32], FormatError> {
    unpem(text, "PRIVATE KEY", &PKCS8_PREFIX).ok_or(FormatError::Key("private"))
}

/// A public key as an SPKI PEM file (what `openssl pkey -pubout` writes).
pub fn public_key_pem(public: &[u8; 32]) -> String {
    pem("PUBLIC KEY", &[&SPKI_PREFIX[..], public].concat())
}

/// Read an SPKI PEM Ed25519 public key.
pub fn parse_public_key_pem(text: &str) -> Result<[u8; 32], FormatError> {
    unpem(text, "PUBLIC KEY", &SPKI_PREFIX).ok_or(FormatError::Key("public"))
}

/// Why a checkpoint does not hold.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CheckpointBreak {
    /// The file is not a checkpoint.
    #[error("{name}: {error}")]
    Format {
        /// The file.
        name: String,
        /// What is wrong.
        error: FormatError,
    },
    /// The signature is not the key's signature of the message: the file was
    /// changed, or signed with another key.
    #[error(
        "{name}: the signature does not match (the file was changed or signed with another key)"
    )]
    Signature {
        /// The file.
        name: String,
    },
    /// The chain no longer reaches the checkpointed entry.
    #[error(
        "checkpoint of entry {seq} (taken {at}): the chain now ends at entry {last} (entries were removed from the end)"
    )]
    Truncated {
        /// The checkpointed entry.
        seq: i64,
        /// When the checkpoint was taken.
        at: DateTime<Utc>,
        /// Where the chain now ends.
        last: i64,
    },
    /// The chain's entry at the checkpointed position has another hash.
    #[error(
        "checkpoint of entry {seq} (taken {at}): entry {seq} no longer has the signed hash (the chain was rewritten at or before entry {seq})"
    )]
    Rewritten {
        /// The checkpointed entry.
        seq: i64,
        /// When the checkpoint was taken.
        at: DateTime<Utc>,
    },
}

/// Check one exported checkpoint's signature and read it.
pub fn open(
    name: &str,
    public: &[u8; 32],
    msg: &[u8],
    sig: &[u8],
) -> Result<Checkpoint, CheckpointBreak> {
    if !verify(public, msg, sig) {
        return Err(CheckpointBreak::Signature { name: name.into() });
    }
    Checkpoint::parse(msg).map_err(|error| CheckpointBreak::Format {
        name: name.into(),
        error,
    })
}

/// Whether the chain still contains a checkpointed head: `hash_at_seq` is
/// the hash of the chain's entry at `cp.seq` (None if there is none) and
/// `last` the chain's last sequence number.
pub fn check_against_chain(
    cp: &Checkpoint,
    hash_at_seq: Option<&str>,
    last: i64,
) -> Result<(), CheckpointBreak> {
    match hash_at_seq {
        None if cp.seq > last => Err(CheckpointBreak::Truncated {
            seq: cp.seq,
            at: cp.at,
            last,
        }),
        Some(h) if h == cp.hash => Ok(()),
        _ => Err(CheckpointBreak::Rewritten {
            seq: cp.seq,
            at: cp.at,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: [u8; 32] = [7; 32];

    fn cp() -> Checkpoint {
        Checkpoint {
            seq: 42,
            hash: "ab".repeat(32),
            at: DateTime::from_timestamp(1_764_122_400, 123_456_000).unwrap(),
            entries: 42,
        }
    }

    #[test]
    fn message_is_canonical_text_and_round_trips() {
        let m = cp().message();
        assert_eq!(
            m,
            format!(
                "harbour-audit-checkpoint-v1\nseq=42\nhash={}\nat=2025-11-26T02:00:00.123456Z\nentries=42\n",
                "ab".repeat(32)
            )
        );
        assert_eq!(Checkpoint::parse(m.as_bytes()), Ok(cp()));
        assert_eq!(cp().file_stem(), "checkpoint-000000000042");
    }

    #[test]
    fn non_canonical_messages_are_refused() {
        let m = cp().message();
        for bad in [
            m.replace("seq=42", "seq=042"),
            m.replace("seq=42\n", "seq=42\r\n"),
            m.replace(".123456Z", ".123456+00:00"),
            m.trim_end().to_string(),
            format!("{m}extra=1\n"),
            m.replace("harbour-audit-checkpoint-v1", "harbour-audit-checkpoint-v2"),
            m.replace("entries=", "count="),
        ] {
            assert!(Checkpoint::parse(bad.as_bytes()).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn signatures_verify_only_for_the_same_message_and_key() {
        let m = cp().message();
        let sig = sign(&SEED, m.as_bytes());
        let pk = public_key(&SEED);
        assert_eq!(open("f", &pk, m.as_bytes(), &sig), Ok(cp()));
        let changed = m.replace("seq=42", "seq=43");
        assert_eq!(
            open("f", &pk, changed.as_bytes(), &sig),
            Err(CheckpointBreak::Signature { name: "f".into() })
        );
        let other = public_key(&[8; 32]);
        assert!(open("f", &other, m.as_bytes(), &sig).is_err());
        assert!(!verify(&pk, m.as_bytes(), &sig[..63]));
    }

    #[test]
    fn rfc8032_test_vector_1() {
        // RFC 8032 §7.1, TEST 1 (empty message).
        let seed: [u8; 32] =
            hex::decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
                .unwrap()
                .try_into()
                .unwrap();
        assert_eq!(
            hex::encode(public_key(&seed)),
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
        );
        assert_eq!(
            hex::encode(sign(&seed, b"")),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        );
    }

    #[test]
    fn keys_round_trip_through_pem() {
        let pk = public_key(&SEED);
        assert_eq!(parse_private_key_pem(&private_key_pem(&SEED)), Ok(SEED));
        assert_eq!(parse_public_key_pem(&public_key_pem(&pk)), Ok(pk));
        assert!(parse_public_key_pem(&private_key_pem(&SEED)).is_err());
        assert!(
            parse_private_key_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----")
                .is_err()
        );
        // The same bytes OpenSSL writes for this seed's public key.
        assert!(public_key_pem(&pk).starts_with("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA"));
    }

    #[test]
    fn chain_checks_each_way() {
        let c = cp();
        let h = c.hash.clone();
        let cases: &[(Option<&str>, i64, Option<CheckpointBreak>)] = &[
            (Some(&h), 42, None),
            (Some(&h), 100, None),
            (
                None,
                40,
                Some(CheckpointBreak::Truncated {
                    seq: 42,
                    at: c.at,
                    last: 40,
                }),
            ),
            (
                Some("cd"),
                100,
                Some(CheckpointBreak::Rewritten { seq: 42, at: c.at }),
            ),
            // An entry missing in the middle while the chain goes on.
            (
                None,
                100,
                Some(CheckpointBreak::Rewritten { seq: 42, at: c.at }),
            ),
        ];
        for (hash, last, want) in cases {
            assert_eq!(
                check_against_chain(&c, *hash, *last).err(),
                *want,
                "{hash:?} {last}"
            );
        }
    }
}
