//! Single sign-on storage: sign-ons in progress are taken once, expired
//! ones are purged, and an account links to one identity at a time.

use crate::stories::{now, world};
use chrono::TimeDelta;
use harbour_db::oidc::{self, PendingLogin};
use harbour_db::{Db, DbError};

pub async fn sign_ons_are_single_use_and_identities_unique(db: Db) {
    let mut tx = db.begin_write().await.unwrap();
    let w = world(&mut tx).await;
    let p = PendingLogin {
        nonce: "n".into(),
        code_verifier: "v".into(),
        next_path: "/children".into(),
        expires_at: now() + TimeDelta::minutes(10),
    };
    oidc::insert_pending(&mut tx, "s1", &p, now())
        .await
        .unwrap();
    let old = PendingLogin {
        expires_at: now() - TimeDelta::minutes(1),
        ..p.clone()
    };
    oidc::insert_pending(&mut tx, "s2", &old, now() - TimeDelta::minutes(11))
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let mut tx = db.begin_write().await.unwrap();
    assert_eq!(oidc::purge_pending(&mut tx, now()).await.unwrap(), 1);
    let got = oidc::take_pending(&mut tx, "s1").await.unwrap().unwrap();
    assert_eq!(
        (
            got.nonce.as_str(),
            got.code_verifier.as_str(),
            got.next_path.as_str()
        ),
        ("n", "v", "/children")
    );
    assert_eq!(got.expires_at, p.expires_at);
    assert!(oidc::take_pending(&mut tx, "s1").await.unwrap().is_none());
    assert!(oidc::take_pending(&mut tx, "s2").await.unwrap().is_none());

    let iss = "https://login.example.test/t/v2.0";
    assert!(
        oidc::by_subject(&mut tx, iss, "sub-1")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        oidc::link(&mut tx, w.worker.id, iss, "sub-1")
            .await
            .unwrap()
    );
    // Linked once: a second link does nothing until it is removed.
    assert!(
        !oidc::link(&mut tx, w.worker.id, iss, "sub-2")
            .await
            .unwrap()
    );
    let l = oidc::by_subject(&mut tx, iss, "sub-1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(l.user_id, w.worker.id.0);
    assert_eq!(
        oidc::of_user(&mut tx, w.worker.id)
            .await
            .unwrap()
            .unwrap()
            .oidc_subject
            .as_deref(),
        Some("sub-1")
    );
    assert!(
        oidc::by_subject(&mut tx, "https://other.test", "sub-1")
            .await
            .unwrap()
            .is_none()
    );
    tx.commit().await.unwrap();

    // Another account cannot hold the same identity.
    let mut tx = db.begin_write().await.unwrap();
    let other = crate::stories::insert_user(&mut tx, w.org.id, "other@test.example").await;
    let e = oidc::link(&mut tx, other, iss, "sub-1").await.unwrap_err();
    assert!(matches!(e, DbError::UniqueViolation), "{e:?}");
    tx.rollback().await.unwrap();

    let mut tx = db.begin_write().await.unwrap();
    assert!(oidc::unlink(&mut tx, w.worker.id).await.unwrap());
    assert!(!oidc::unlink(&mut tx, w.worker.id).await.unwrap());
    assert!(
        oidc::by_subject(&mut tx, iss, "sub-1")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        oidc::link(&mut tx, w.worker.id, iss, "sub-2")
            .await
            .unwrap()
    );
    tx.commit().await.unwrap();
}
