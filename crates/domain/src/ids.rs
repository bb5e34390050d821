//! Typed identifiers. Every record is keyed by a UUIDv7 (time-ordered, so
//! inserts stay index-friendly) wrapped in a newtype so a `ChildId` can never be
//! passed where a `UserId` is expected.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh time-ordered identifier.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
            /// The underlying UUID.
            pub fn uuid(self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }

        impl From<Uuid> for $name {
            fn from(u: Uuid) -> Self {
                Self(u)
            }
        }
    )*};
}

id_type!(
    /// A child or young person.
    ChildId,
    /// A member of staff or partner user (anyone who signs in).
    UserId,
    /// A team of social workers with a manager.
    TeamId,
    /// A business-support pod serving one or more teams.
    PodId,
    /// An organisation: the authority's social care, police, health, a school, the RHI provider, another authority.
    OrgId,
    /// A case note.
    NoteId,
    /// A recorded management or case decision.
    DecisionId,
    /// A period during which a worker is allocated to a child.
    AllocationId,
    /// A relationship between a child and a person around them.
    RelationshipId,
    /// A period of a legal status (CIN, CP, CLA, care leaver).
    LegalStatusId,
    /// A placement.
    PlacementId,
    /// An address held for a child.
    AddressId,
    /// An alert on a child's record.
    AlertId,
    /// A grant of a child's record to a partner organisation.
    ShareId,
    /// A break-glass access grant.
    BreakGlassId,
    /// An API token.
    TokenId,
);
