//! Who hears what a child said at a return home interview: one sharing
//! decision per recipient, each with its lawful basis or the reason for not
//! sharing, and the notifications that carry the findings to other agencies.
//!
//! Sources: DfE, "Statutory guidance on children who run away or go missing
//! from home or care" (2014): findings go to the allocated worker and the
//! child's plan, the police, the multi-agency panel and **both** the placing
//! and the host authority. HM Government, "Information sharing: advice for
//! practitioners providing safeguarding services" (2024): record the
//! decision and the reasons whether or not you share; consent is usually not
//! the basis. Lawful bases: UK GDPR Art 6(1)(e) public task, 6(1)(c) legal
//! obligation, 6(1)(d) vital interests; Art 9 through DPA 2018 Sch 1 para 18
//! (safeguarding of children and individuals at risk). See the information
//! sharing section of the domain reference.

use serde::{Deserialize, Serialize};

/// Who may receive interview findings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recipient {
    /// The allocated social worker (and so the child's plan).
    SocialWorker,
    /// The police, as intelligence.
    Police,
    /// The authority responsible for a child placed here by another authority.
    PlacingAuthority,
    /// The authority a child of ours is placed in.
    HostAuthority,
    /// The exploitation and missing panel.
    Panel,
}

impl Recipient {
    /// Every recipient, in the order the form asks about them.
    pub const ALL: [Recipient; 5] = [
        Self::SocialWorker,
        Self::Police,
        Self::PlacingAuthority,
        Self::HostAuthority,
        Self::Panel,
    ];
    /// Machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SocialWorker => "social_worker",
            Self::Police => "police",
            Self::PlacingAuthority => "placing_authority",
            Self::HostAuthority => "host_authority",
            Self::Panel => "panel",
        }
    }
    /// Label.
    pub fn label(self) -> &'static str {
        match self {
            Self::SocialWorker => "The child's social worker",
            Self::Police => "The police",
            Self::PlacingAuthority => "The placing authority",
            Self::HostAuthority => "The authority the child is placed in",
            Self::Panel => "The exploitation and missing panel",
        }
    }
    /// Parse a machine name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
    /// Whether this recipient applies to a child, given the authority using
    /// Harbour (`home_la`), the child's responsible authority and the
    /// authority their placement is in. The placing authority is asked about
    /// only for a child another authority placed here; the host only for a
    /// child of ours placed in another area.
    pub fn applies(self, home_la: &str, responsible_la: &str, host_la: Option<&str>) -> bool {
        match self {
            Self::PlacingAuthority => responsible_la != home_la,
            Self::HostAuthority => {
                responsible_la == home_la && host_la.is_some_and(|h| h != home_la)
            }
            _ => true,
        }
    }
    /// The recipients that apply to a child, in form order.
    pub fn for_child(home_la: &str, responsible_la: &str, host_la: Option<&str>) -> Vec<Self> {
        Self::ALL
            .into_iter()
            .filter(|r| r.applies(home_la, responsible_la, host_la))
            .collect()
    }
    /// Whether the recipient is another organisation, told by a notification
    /// (and e-mail) rather than by a task inside the authority.
    pub fn is_external(self) -> bool {
        matches!(
            self,
            Self::Police | Self::PlacingAuthority | Self::HostAuthority
        )
    }
}

/// The lawful basis for sharing (UK GDPR and the Data Protection Act 2018).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LawfulBasis {
    /// Art 6(1)(e) public task, with Art 9(2)(g) and DPA 2018 Sch 1 para 18
    /// for special category data. The usual basis for safeguarding.
    PublicTaskSafeguarding,
    /// Art 6(1)(c) legal obligation, e.g. a statutory duty to share.
    LegalObligation,
    /// Art 6(1)(d) vital interests: life is at risk.
    VitalInterests,
    /// Art 6(1)(a) consent: rarely right where a child is at risk.
    Consent,
}

impl LawfulBasis {
    /// Every basis, commonest first.
    pub const ALL: [LawfulBasis; 4] = [
        Self::PublicTaskSafeguarding,
        Self::LegalObligation,
        Self::VitalInterests,
        Self::Consent,
    ];
    /// Machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PublicTaskSafeguarding => "public_task_safeguarding",
            Self::LegalObligation => "legal_obligation",
            Self::VitalInterests => "vital_interests",
            Self::Consent => "consent",
        }
    }
    /// Label, with the legislation.
    pub fn label(self) -> &'static str {
        match self {
            Self::PublicTaskSafeguarding => {
                "Public task and safeguarding (UK GDPR Art 6(1)(e); DPA 2018 Sch 1 para 18)"
            }
            Self::LegalObligation => "Legal obligation (UK GDPR Art 6(1)(c))",
            Self::VitalInterests => "Vital interests: a risk to life (UK GDPR Art 6(1)(d))",
            Self::Consent => "Consent of the child or family (UK GDPR Art 6(1)(a))",
        }
    }
    /// Parse a machine name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|b| b.as_str() == s)
    }
}

/// One sharing decision as made on the interview record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareDecision {
    /// Who.
    pub recipient: Recipient,
    /// Shared (true) or withheld.
    pub share: bool,
    /// The lawful basis, when shared.
    pub basis: Option<LawfulBasis>,
    /// Why it was withheld, or anything the recipient should know.
    pub reason: String,
}

/// A problem with a set of decisions, for one recipient's field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecisionProblem {
    /// The recipient whose answer needs attention.
    pub recipient: Recipient,
    /// Which answer: `share`, `basis` or `reason`.
    pub answer: &'static str,
    /// Plain words.
    pub message: String,
}

/// Check the sharing decisions on an interview record: exactly one decision
/// for every recipient that applies to the child (and none for one that does
/// not); a lawful basis for each share; a reason for each decision not to
/// share. Source: HM Government information-sharing advice (2024), golden
/// rule 7: record the decision and the reasons whether or not you share.
pub fn check_decisions(applies: &[Recipient], decisions: &[ShareDecision]) -> Vec<DecisionProblem> {
    let mut out = Vec::new();
    for &r in applies {
        let mine: Vec<&ShareDecision> = decisions.iter().filter(|d| d.recipient == r).collect();
        match mine.as_slice() {
            [] => out.push(DecisionProblem {
                recipient: r,
                answer: "share",
                message: format!("Select whether to share the findings with {}", lower(r)),
            }),
            [d] => {
                if d.share && d.basis.is_none() {
                    out.push(DecisionProblem {
                        recipient: r,
                        answer: "basis",
                        message: format!("Select the lawful basis for sharing with {}", lower(r)),
                    });
                }
                if !d.share && d.reason.trim().is_empty() {
                    out.push(DecisionProblem {
                        recipient: r,
                        answer: "reason",
                        message: format!("Enter why the findings are not shared with {}", lower(r)),
                    });
                }
            }
            _ => out.push(DecisionProblem {
                recipient: r,
                answer: "share",
                message: format!("Make one decision about sharing with {}", lower(r)),
            }),
        }
    }
    for d in decisions {
        if !applies.contains(&d.recipient) {
            out.push(DecisionProblem {
                recipient: d.recipient,
                answer: "share",
                message: format!("{} does not apply to this child", d.recipient.label()),
            });
        }
    }
    out
}

fn lower(r: Recipient) -> String {
    let l = r.label();
    let mut c = l.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Where a notification to another organisation has got to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Waiting for the e-mail to go.
    Queued,
    /// E-mailed; waiting for the recipient to open it.
    Sent,
    /// No e-mail is configured, or the organisation has no address: the
    /// findings wait in Harbour and someone must tell the recipient.
    NotEmailed,
    /// E-mail failed after every retry.
    Failed,
}

impl DeliveryStatus {
    /// Every status.
    pub const ALL: [DeliveryStatus; 4] = [Self::Queued, Self::Sent, Self::NotEmailed, Self::Failed];
    /// Machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Sent => "sent",
            Self::NotEmailed => "not_emailed",
            Self::Failed => "failed",
        }
    }
    /// Label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Queued => "Waiting to e-mail",
            Self::Sent => "E-mailed",
            Self::NotEmailed => "Not e-mailed: tell them another way",
            Self::Failed => "E-mail failed: tell them another way",
        }
    }
    /// Parse.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// A notification to another organisation carrying interview findings.
/// The findings stay in Harbour (the e-mail says only that they are there);
/// `body` is the text exactly as shared, kept so what was shared is known.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Notification {
    /// Identifier.
    pub id: uuid::Uuid,
    /// The child it is about.
    pub child_id: crate::ids::ChildId,
    /// The interview whose findings it carries.
    pub interview_id: uuid::Uuid,
    /// Which recipient decision made it.
    pub recipient: Recipient,
    /// The organisation told, when Harbour knows one.
    pub org_id: Option<crate::ids::OrgId>,
    /// The organisation's name (or the authority's, from its LA code).
    pub org_name: String,
    /// The address e-mailed, if any.
    pub email: Option<String>,
    /// Subject line.
    pub subject: String,
    /// The findings as shared.
    pub body: String,
    /// The lawful basis recorded for the share.
    pub basis: LawfulBasis,
    /// Delivery.
    pub status: DeliveryStatus,
    /// E-mail attempts so far.
    pub attempts: u32,
    /// The last delivery error, in plain words.
    pub last_error: Option<String>,
    /// Created.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// E-mailed.
    pub sent_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Opened by someone at the recipient organisation.
    pub received_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Who confirmed receipt.
    pub received_by: Option<String>,
}

/// When to try sending a notification again after `attempts` failures:
/// 1, 2, 4, 8 … minutes, at most an hour; `None` once `max_attempts` is
/// reached and the notification should be marked failed.
pub fn retry_after_minutes(attempts: u32, max_attempts: u32) -> Option<i64> {
    if attempts >= max_attempts {
        return None;
    }
    let shift = attempts.saturating_sub(1).min(6);
    Some((1i64 << shift).min(60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recipients_that_apply() {
        use Recipient::*;
        // (responsible, host, expected)
        let table: &[(&str, Option<&str>, &[Recipient])] = &[
            ("861", None, &[SocialWorker, Police, Panel]),
            ("861", Some("861"), &[SocialWorker, Police, Panel]),
            (
                "861",
                Some("860"),
                &[SocialWorker, Police, HostAuthority, Panel],
            ),
            (
                "330",
                Some("861"),
                &[SocialWorker, Police, PlacingAuthority, Panel],
            ),
            (
                "330",
                None,
                &[SocialWorker, Police, PlacingAuthority, Panel],
            ),
        ];
        for (resp, host, want) in table {
            assert_eq!(
                &Recipient::for_child("861", resp, *host),
                want,
                "{resp} {host:?}"
            );
        }
    }

    fn d(r: Recipient, share: bool, basis: Option<LawfulBasis>, reason: &str) -> ShareDecision {
        ShareDecision {
            recipient: r,
            share,
            basis,
            reason: reason.into(),
        }
    }

    #[test]
    fn decisions_are_checked() {
        use Recipient::*;
        let pt = Some(LawfulBasis::PublicTaskSafeguarding);
        let applies = [SocialWorker, Police, Panel];
        type Case = (Vec<ShareDecision>, Vec<(Recipient, &'static str)>);
        let cases: Vec<Case> = vec![
            (
                vec![
                    d(SocialWorker, true, pt, ""),
                    d(Police, true, pt, ""),
                    d(Panel, false, None, "No concerns for the panel"),
                ],
                vec![],
            ),
            (
                vec![d(SocialWorker, true, pt, ""), d(Police, true, None, "")],
                vec![(Police, "lawful basis"), (Panel, "Select whether")],
            ),
            (
                vec![
                    d(SocialWorker, true, pt, ""),
                    d(Police, false, None, "  "),
                    d(Panel, true, pt, ""),
                ],
                vec![(Police, "Enter why")],
            ),
            (
                vec![
                    d(SocialWorker, true, pt, ""),
                    d(SocialWorker, false, None, "x"),
                    d(Police, true, pt, ""),
                    d(Panel, true, pt, ""),
                ],
                vec![(SocialWorker, "one decision")],
            ),
            (
                vec![
                    d(SocialWorker, true, pt, ""),
                    d(Police, true, pt, ""),
                    d(Panel, true, pt, ""),
                    d(PlacingAuthority, true, pt, ""),
                ],
                vec![(PlacingAuthority, "does not apply")],
            ),
        ];
        for (decisions, want) in cases {
            let got = check_decisions(&applies, &decisions);
            assert_eq!(got.len(), want.len(), "{decisions:?} -> {got:?}");
            for (p, (r, text)) in got.iter().zip(want) {
                assert_eq!(p.recipient, r);
                assert!(p.message.contains(text), "{} lacks {text}", p.message);
            }
        }
    }

    #[test]
    fn retries_back_off_then_stop() {
        let table = [
            (1, Some(1)),
            (2, Some(2)),
            (3, Some(4)),
            (6, Some(32)),
            (7, Some(60)),
            (8, None),
            (9, None),
        ];
        for (attempts, want) in table {
            assert_eq!(retry_after_minutes(attempts, 8), want, "{attempts}");
        }
    }

    #[test]
    fn names_round_trip() {
        for r in Recipient::ALL {
            assert_eq!(Recipient::parse(r.as_str()), Some(r));
        }
        for b in LawfulBasis::ALL {
            assert_eq!(LawfulBasis::parse(b.as_str()), Some(b));
        }
        for s in DeliveryStatus::ALL {
            assert_eq!(DeliveryStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(Recipient::parse("parent"), None);
    }
}
