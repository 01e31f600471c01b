//! The HTTP side: `POST /` as OpenSRS answers it, and the sandbox's own
//! endpoints under `/_sandbox/`.

use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use opensrs_core::secret::Secret;
use opensrs_core::sign::{X_SIGNATURE, X_USERNAME, signature};
use opensrs_core::{ParseOptions, Request};
use serde::Deserialize;

use crate::commands::dispatch;
use crate::reply::{self, Failure};
use crate::world::World;

/// What the handlers share.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) username: String,
    pub(crate) key: Secret,
    pub(crate) body_limit: usize,
    pub(crate) world: Mutex<World>,
}

impl Shared {
    /// The world, locked (a poisoned lock is taken over: every change to
    /// the world is a few field stores, none left half done).
    pub(crate) fn world(&self) -> MutexGuard<'_, World> {
        self.world.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether the request's `X-Username` and `X-Signature` are this
    /// reseller's over exactly `body`.
    pub(crate) fn authorised(
        &self,
        username: Option<&[u8]>,
        sig: Option<&[u8]>,
        body: &[u8],
    ) -> bool {
        let (Some(username), Some(sig)) = (username, sig) else {
            return false;
        };
        let expected = signature(body, &self.key);
        username == self.username.as_bytes()
            && sig.len() == 32
            && sig.eq_ignore_ascii_case(expected.as_str().as_bytes())
    }

    /// The reply envelope to an authorised request body.
    pub(crate) fn handle(&self, body: &[u8]) -> String {
        let options = ParseOptions {
            max_len: self.body_limit,
            ..ParseOptions::default()
        };
        let doc = match options.parse(body) {
            Ok(doc) => doc,
            Err(e) => return reply::parse_failure(&e),
        };
        let req = match Request::from_document(&doc) {
            Ok(r) => r,
            Err(e) => return reply::decode_failure("", &e),
        };
        let (action, object) = (req.action(), req.object());
        match opensrs_actions::find(action, Some(object)) {
            Ok(info) => dispatch(info, &doc, object, &self.world),
            Err(e) => reply::failure(object, &Failure::new(430, format!("Invalid command: {e}"))),
        }
    }
}

/// The router: `POST /` and `/_sandbox/...`.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    let limit = shared.body_limit;
    Router::new()
        .route("/", post(xcp))
        .route("/_sandbox/outbox", get(outbox))
        .route("/_sandbox/transfers", get(transfers))
        .route("/_sandbox/approvals", get(approvals))
        .route("/_sandbox/jobs/{id}", get(job))
        .route("/_sandbox/clock", get(clock))
        .route("/_sandbox/clock/advance", post(advance))
        .route("/_sandbox/registrant/{id}/accept", post(accept))
        .route("/_sandbox/registrant/{id}/reject", post(reject))
        .layer(DefaultBodyLimit::max(limit))
        .with_state(shared)
}

async fn xcp(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let username = headers.get(X_USERNAME).map(|v| v.as_bytes());
    let sig = headers.get(X_SIGNATURE).map(|v| v.as_bytes());
    if !shared.authorised(username, sig, &body) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::CONTENT_TYPE, "text/plain")],
            "Authentication failed: X-Username and X-Signature do not match a reseller and this body\n",
        )
            .into_response();
    }
    let reply = shared.handle(&body);
    // The reply's String becomes the body as it is (no copy); the header
    // value is a constant (no per-request allocation or check).
    ([(header::CONTENT_TYPE, TEXT_XML)], reply).into_response()
}

/// `Content-Type: text/xml`, built once.
const TEXT_XML: HeaderValue = HeaderValue::from_static("text/xml");

fn json<T: serde::Serialize>(value: &T) -> Response {
    match serde_json::to_string_pretty(value) {
        Ok(s) => ([(header::CONTENT_TYPE, "application/json")], s).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

fn not_found(message: String) -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "application/json")],
        serde_json::json!({ "error": message }).to_string(),
    )
        .into_response()
}

async fn outbox(State(shared): State<Arc<Shared>>) -> Response {
    json(&shared.world().outbox)
}

async fn transfers(State(shared): State<Arc<Shared>>) -> Response {
    json(&shared.world().transfers)
}

async fn approvals(State(shared): State<Arc<Shared>>) -> Response {
    json(&shared.world().approvals)
}

async fn job(State(shared): State<Arc<Shared>>, Path(id): Path<u64>) -> Response {
    let world = shared.world();
    match world.jobs.iter().find(|j| j.id == id) {
        Some(j) => json(j),
        None => not_found(format!("no job has id {id}")),
    }
}

fn clock_json(world: &World) -> serde_json::Value {
    serde_json::json!({
        "unixtime": world.now,
        "timestamp": crate::commands::timestamp(world.now),
    })
}

async fn clock(State(shared): State<Arc<Shared>>) -> Response {
    json(&clock_json(&shared.world()))
}

/// `POST /_sandbox/clock/advance` body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Advance {
    seconds: u32,
}

async fn advance(
    State(shared): State<Arc<Shared>>,
    axum::Json(a): axum::Json<Advance>,
) -> Response {
    let mut world = shared.world();
    world.advance(i64::from(a.seconds));
    json(&clock_json(&world))
}

fn answer(shared: &Shared, id: &str, accept: bool) -> Response {
    match shared.world().answer(id, accept) {
        Ok(transfers) => json(&serde_json::json!({ "transfers": transfers })),
        Err(e) => not_found(e.to_string()),
    }
}

async fn accept(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    answer(&shared, &id, true)
}

async fn reject(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    answer(&shared, &id, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::Seed;
    use opensrs_core::Reply;

    fn shared() -> Shared {
        Shared {
            username: "sandbox".into(),
            key: Secret::new("k"),
            body_limit: 1 << 20,
            world: Mutex::new(World::new(
                &Seed::default_scenario(),
                "sandbox",
                1_717_416_000,
            )),
        }
    }

    /// The reply's success flag and code; it must be a well-formed reply.
    fn read(xml: &str) -> (bool, u16) {
        let doc = opensrs_core::parse(xml.as_bytes()).unwrap_or_else(|e| panic!("{e}: {xml}"));
        let reply = Reply::from_document(&doc).unwrap_or_else(|e| panic!("{e}: {xml}"));
        assert!(reply.is_reply_action());
        (reply.is_success(), reply.response_code().as_u16())
    }

    #[test]
    fn the_spec_requests_are_answered() {
        let s = shared();
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../ops-actions/fixtures");
        let mut seen = 0;
        for object in ["domain", "transfer"] {
            for action in std::fs::read_dir(format!("{dir}/{object}")).unwrap() {
                let action = action.unwrap().path();
                for f in std::fs::read_dir(&action).unwrap() {
                    let f = f.unwrap().path();
                    let name = f.file_name().unwrap().to_str().unwrap().to_owned();
                    if !name.starts_with("request") {
                        continue;
                    }
                    let (ok, code) = read(&s.handle(&std::fs::read(&f).unwrap()));
                    seen += 1;
                    // Their domains are not the sandbox's: simple_transfer
                    // still succeeds (each domain fails on its own), the
                    // others find nothing (480) or tell why not (200).
                    assert!(
                        (ok && code == 200) || (!ok && code == 480),
                        "{name}: {ok} {code}"
                    );
                }
            }
        }
        assert!(seen >= 7, "{seen}");
        s.world().check_invariants().unwrap();
    }

    #[test]
    fn hostile_bodies_get_well_formed_replies() {
        let s = shared();
        let deep = format!(
            "<OPS_envelope><header><version>0.9</version></header><body><data_block>{}{}</data_block></body></OPS_envelope>",
            "<dt_array><item key=\"0\">".repeat(200),
            "</item></dt_array>".repeat(200)
        );
        let cases: Vec<(Vec<u8>, u16)> = vec![
            (Vec::new(), 400),
            (b"\xff\xfe<".to_vec(), 400),
            (b"<!DOCTYPE x [<!ENTITY a SYSTEM 'file:///etc/passwd'>]><OPS_envelope/>".to_vec(), 400),
            (deep.into_bytes(), 400),
            (
                b"<OPS_envelope><header><version>0.9</version></header><body><data_block><dt_scalar>x</dt_scalar></data_block></body></OPS_envelope>".to_vec(),
                465,
            ),
            (
                opensrs_core::write_request("check_transfer", "domain\u{202e}", None, &[])
                    .unwrap()
                    .into_bytes(),
                430,
            ),
            (
                opensrs_core::write_request("check_transfer", "domain", None, &[])
                    .unwrap()
                    .into_bytes(),
                460,
            ),
        ];
        for (body, code) in cases {
            let xml = s.handle(&body);
            let got = read(&xml);
            assert!(!got.0, "{xml}");
            assert!(
                got.1 == code || (code == 465 && got.1 == 460),
                "{} wanted {code}: {xml}",
                got.1
            );
        }
    }
}
