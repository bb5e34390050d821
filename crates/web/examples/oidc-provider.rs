//! A test OpenID Connect provider for trying single sign-on by hand and for
//! the browser test (`e2e/tests/sso.spec.ts`). Never for real use: it signs
//! in anyone who types an email address, with synthetic keys.
//!
//!   cargo run -p harbour-web --example oidc-provider -- PORT CLIENT_ID SECRET REDIRECT_URI
//!
//! then start Harbour with `HARBOUR_OIDC_ISSUER=http://127.0.0.1:PORT`,
//! `HARBOUR_OIDC_CLIENT_ID`, `HARBOUR_OIDC_CLIENT_SECRET`.

#[path = "../tests/it/oidc_provider.rs"]
mod oidc_provider;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [port, client, secret, redirect] = args.as_slice() else {
        eprintln!("usage: oidc-provider PORT CLIENT_ID SECRET REDIRECT_URI");
        std::process::exit(2);
    };
    let port: u16 = port.parse().unwrap_or_else(|_| {
        eprintln!("PORT must be a number");
        std::process::exit(2);
    });
    let p = oidc_provider::Provider::start(port, client, secret, redirect).await;
    println!("test OpenID Connect provider at {}", p.issuer);
    // Keep the provider's clock on the real time.
    loop {
        p.with(|s| s.now = chrono::Utc::now().timestamp());
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    }
}
