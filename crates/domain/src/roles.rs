//! The roles a user can hold. Each user has exactly one; what a role may do is
//! decided in [`crate::authz`] and nowhere else.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A user's role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A case-holding social worker.
    SocialWorker,
    /// Manages a team of social workers.
    TeamManager,
    /// Business-support ("pod") administrator recording for managers.
    PodAdmin,
    /// Emergency duty (out-of-hours) worker.
    EdtWorker,
    /// Coordinates the multi-agency exploitation and missing panel.
    PanelCoordinator,
    /// A practitioner in a partner agency (police, health, school).
    PartnerPractitioner,
    /// The commissioned return-home-interview provider.
    RhiProvider,
    /// Performance analyst: aggregates only.
    Analyst,
    /// Information governance: audit and break-glass oversight.
    PrivacyOfficer,
    /// Manages users and teams; cannot read case content.
    Sysadmin,
}

impl Role {
    /// Every role, in display order.
    pub const ALL: [Role; 10] = [
        Role::SocialWorker,
        Role::TeamManager,
        Role::PodAdmin,
        Role::EdtWorker,
        Role::PanelCoordinator,
        Role::PartnerPractitioner,
        Role::RhiProvider,
        Role::Analyst,
        Role::PrivacyOfficer,
        Role::Sysadmin,
    ];

    /// The stable machine name, as used on the command line and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::SocialWorker => "social_worker",
            Role::TeamManager => "team_manager",
            Role::PodAdmin => "pod_admin",
            Role::EdtWorker => "edt_worker",
            Role::PanelCoordinator => "panel_coordinator",
            Role::PartnerPractitioner => "partner_practitioner",
            Role::RhiProvider => "rhi_provider",
            Role::Analyst => "analyst",
            Role::PrivacyOfficer => "privacy_officer",
            Role::Sysadmin => "sysadmin",
        }
    }

    /// A label for people.
    pub fn label(self) -> &'static str {
        match self {
            Role::SocialWorker => "Social worker",
            Role::TeamManager => "Team manager",
            Role::PodAdmin => "Business support (pod) administrator",
            Role::EdtWorker => "Emergency duty team worker",
            Role::PanelCoordinator => "Exploitation and missing panel coordinator",
            Role::PartnerPractitioner => "Partner agency practitioner",
            Role::RhiProvider => "Return home interview provider",
            Role::Analyst => "Performance analyst",
            Role::PrivacyOfficer => "Privacy officer",
            Role::Sysadmin => "System administrator",
        }
    }

    /// Roles that must use a second factor (TOTP) to sign in.
    pub fn requires_totp(self) -> bool {
        matches!(self, Role::Sysadmin | Role::PrivacyOfficer)
    }

    /// Roles that belong to an organisation other than the authority's own social care
    /// and see only what has been shared with that organisation.
    pub fn is_external(self) -> bool {
        matches!(self, Role::PartnerPractitioner | Role::RhiProvider)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text did not name a role.
#[derive(Debug, thiserror::Error)]
#[error(
    "unknown role '{0}'; expected one of social_worker, team_manager, pod_admin, edt_worker, panel_coordinator, partner_practitioner, rhi_provider, analyst, privacy_officer, sysadmin"
)]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownRole(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_round_trips_through_its_name() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>().unwrap(), r);
        }
        assert!("root".parse::<Role>().is_err());
    }

    #[test]
    fn only_sysadmin_and_privacy_officer_need_totp() {
        let need: Vec<_> = Role::ALL
            .into_iter()
            .filter(|r| r.requires_totp())
            .collect();
        assert_eq!(need, vec![Role::PrivacyOfficer, Role::Sysadmin]);
    }
}
