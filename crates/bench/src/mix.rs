//! The request mix: what a social worker's session does. 90% reads (the
//! child's record, My work, a name search, the child and chronology through
//! the API), 10% writes (a case note through the form or the API).

use crate::stats::Rng;

/// One signed-in session.
#[derive(Clone, Debug)]
pub struct Session {
    /// `name=value` of the session cookie.
    pub cookie: String,
    /// Index of the user in the user list.
    pub user: usize,
}

/// The signed-in sessions and each user's children (from My work).
#[derive(Debug)]
pub struct World {
    /// Sessions, in sign-in order.
    pub sessions: Vec<Session>,
    /// Children per user index.
    pub children: Vec<Vec<String>>,
}

/// The kinds of request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// GET /children/{id}: the child's record page.
    ChildPage,
    /// GET /my-work.
    MyWork,
    /// POST /children: a name search (a read; a POST so no name goes in a URL).
    Search,
    /// GET /api/v1/children/{id}.
    ApiChild,
    /// GET /api/v1/children/{id}/chronology.
    ApiChronology,
    /// POST /children/{id}/notes/new: a case note through the form.
    NoteForm,
    /// POST /api/v1/children/{id}/notes.
    NoteApi,
}

/// A request ready to send.
#[derive(Debug)]
pub struct Req {
    /// GET or POST.
    pub method: &'static str,
    /// Path and query.
    pub path: String,
    /// Header lines.
    pub headers: Vec<String>,
    /// Body.
    pub body: Vec<u8>,
}

/// Search terms: common surname beginnings.
const TERMS: [&str; 8] = ["smi", "jon", "wil", "tay", "bro", "dav", "eva", "tho"];

impl Op {
    /// Every kind, for per-kind summaries.
    pub const ALL: [Op; 7] = [
        Op::ChildPage,
        Op::MyWork,
        Op::Search,
        Op::ApiChild,
        Op::ApiChronology,
        Op::NoteForm,
        Op::NoteApi,
    ];

    /// A short name.
    pub fn name(self) -> &'static str {
        match self {
            Op::ChildPage => "child_page",
            Op::MyWork => "my_work",
            Op::Search => "search",
            Op::ApiChild => "api_child",
            Op::ApiChronology => "api_chronology",
            Op::NoteForm => "note_form",
            Op::NoteApi => "note_api",
        }
    }

    /// Whether it changes data.
    pub fn is_write(self) -> bool {
        matches!(self, Op::NoteForm | Op::NoteApi)
    }

    /// The status that means success.
    pub fn expected_status(self) -> u16 {
        match self {
            Op::NoteForm => 303,
            Op::NoteApi => 201,
            _ => 200,
        }
    }
}

/// Read mix, cumulative shares of reads: the record 40%, My work 20%, search
/// 15%, API child 15%, API chronology 10% (API shares fall to the record
/// without a token).
fn pick_read(u: f64, api: bool) -> Op {
    match u {
        u if u < 0.40 => Op::ChildPage,
        u if u < 0.60 => Op::MyWork,
        u if u < 0.75 => Op::Search,
        _ if !api => Op::ChildPage,
        u if u < 0.90 => Op::ApiChild,
        _ => Op::ApiChronology,
    }
}

impl World {
    /// Choose the next request: a random session, a read or (with
    /// probability `writes`) a write, on one of the session user's children.
    /// API requests use `token`, whose user is the first user.
    pub fn pick(&self, rng: &mut Rng, writes: f64, token: Option<&str>) -> (Op, Req) {
        let s = &self.sessions[rng.below(self.sessions.len())];
        let is_write = rng.unit() < writes;
        let u = rng.unit();
        let api = token.is_some() && !self.children[0].is_empty();
        let mut op = if is_write {
            if api && u < 0.3 {
                Op::NoteApi
            } else {
                Op::NoteForm
            }
        } else {
            pick_read(u, api)
        };
        let mine = &self.children[s.user];
        if mine.is_empty() {
            // A user with no children on My work reads My work instead of a
            // record, and writes through the API user's children.
            op = match op {
                Op::ChildPage => Op::MyWork,
                Op::NoteForm if api => Op::NoteApi,
                Op::NoteForm => Op::MyWork,
                other => other,
            };
        }
        let child = |list: &[String], rng: &mut Rng| list[rng.below(list.len())].clone();
        let cookie = format!("Cookie: {}", s.cookie);
        let form = |cookie: String| {
            vec![
                cookie,
                "Content-Type: application/x-www-form-urlencoded".to_string(),
                "Sec-Fetch-Site: same-origin".to_string(),
            ]
        };
        let bearer = || {
            vec![
                format!("Authorization: Bearer {}", token.unwrap_or("")),
                "Content-Type: application/json".to_string(),
            ]
        };
        let req = match op {
            Op::ChildPage => get(format!("/children/{}", child(mine, rng)), cookie),
            Op::MyWork => get("/my-work".into(), cookie),
            Op::Search => Req {
                method: "POST",
                path: "/children".into(),
                headers: form(cookie),
                body: format!("q={}", TERMS[rng.below(TERMS.len())]).into_bytes(),
            },
            Op::ApiChild => Req {
                method: "GET",
                path: format!("/api/v1/children/{}", child(&self.children[0], rng)),
                headers: bearer(),
                body: vec![],
            },
            Op::ApiChronology => Req {
                method: "GET",
                path: format!("/api/v1/children/{}/chronology", child(&self.children[0], rng)),
                headers: bearer(),
                body: vec![],
            },
            Op::NoteForm => Req {
                method: "POST",
                path: format!("/children/{}/notes/new", child(mine, rng)),
                headers: form(cookie),
                body: b"kind=visit&day=2&month=3&year=2026&time=10%3A30&subject=Home+visit&body=Seen+at+home+with+carer%3B+no+new+concerns."
                    .to_vec(),
            },
            Op::NoteApi => Req {
                method: "POST",
                path: format!("/api/v1/children/{}/notes", child(&self.children[0], rng)),
                headers: bearer(),
                body: br#"{"kind":"visit","occurred_at":"2026-03-02T10:30:00Z","subject":"Home visit","body":"Seen at home with carer; no new concerns.","significant":false}"#
                    .to_vec(),
            },
        };
        (op, req)
    }
}

fn get(path: String, cookie: String) -> Req {
    Req {
        method: "GET",
        path,
        headers: vec![cookie],
        body: vec![],
    }
}

/// The distinct child ids linked from a page (`/children/<uuid>`), in order.
pub fn child_ids(html: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, _) in html.match_indices("/children/") {
        let rest = &html[i + "/children/".len()..];
        let id: String = rest.chars().take(36).collect();
        let is_uuid = id.len() == 36
            && id.chars().enumerate().all(|(k, c)| {
                if matches!(k, 8 | 13 | 18 | 23) {
                    c == '-'
                } else {
                    c.is_ascii_hexdigit()
                }
            });
        if is_uuid && !out.contains(&id) {
            out.push(id);
        }
    }
    out
}

/// application/x-www-form-urlencoded encoding of one value.
pub use harbour_domain::oidc::form_encode;

#[cfg(test)]
mod tests {
    use super::*;

    fn world(children: Vec<Vec<String>>) -> World {
        World {
            sessions: (0..4)
                .map(|i| Session {
                    cookie: format!("s={i}"),
                    user: i % children.len(),
                })
                .collect(),
            children,
        }
    }

    const A: &str = "0190a3c4-7e1f-7b2a-9c3d-4e5f6a7b8c9d";
    const B: &str = "0190a3c4-7e1f-7b2a-9c3d-4e5f6a7b8c9e";

    #[test]
    fn child_ids_are_found_once_each() {
        let html = format!(
            r#"<a href="/children/{A}">x</a> <a href="/children/{A}/notes/new">n</a> <a href="/children/new">new</a> <a href="/children/{B}">y</a>"#
        );
        assert_eq!(child_ids(&html), vec![A.to_string(), B.to_string()]);
        assert!(child_ids("<a href=\"/children/\">").is_empty());
    }

    #[test]
    fn form_values_are_encoded() {
        assert_eq!(form_encode("a.b+c@d e"), "a.b%2Bc%40d+e");
    }

    #[test]
    fn the_mix_has_the_asked_share_of_writes_and_valid_requests() {
        let w = world(vec![vec![A.into(), B.into()], vec![B.into()]]);
        let mut rng = Rng::new(3);
        let n = 20_000;
        let mut writes = 0;
        let mut seen = std::collections::HashSet::new();
        for _ in 0..n {
            let (op, req) = w.pick(&mut rng, 0.1, Some("tok"));
            seen.insert(op.name());
            if op.is_write() {
                writes += 1;
                assert_eq!(req.method, "POST");
            }
            if op == Op::ChildPage {
                assert!(
                    req.path == format!("/children/{A}") || req.path == format!("/children/{B}")
                );
            }
            if req.path.starts_with("/api/") {
                assert_eq!(req.headers[0], "Authorization: Bearer tok");
            } else {
                assert!(req.headers[0].starts_with("Cookie: s="));
            }
        }
        let share = writes as f64 / n as f64;
        assert!((0.09..0.11).contains(&share), "{share}");
        assert_eq!(seen.len(), Op::ALL.len(), "{seen:?}");
    }

    #[test]
    fn without_a_token_or_children_the_mix_stays_on_pages_it_can_read() {
        let w = world(vec![vec![]]);
        let mut rng = Rng::new(5);
        for _ in 0..2_000 {
            let (op, req) = w.pick(&mut rng, 0.1, None);
            assert!(matches!(op, Op::MyWork | Op::Search), "{op:?}");
            assert!(!req.path.starts_with("/api/"));
        }
    }
}
