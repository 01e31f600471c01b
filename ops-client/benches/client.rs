//! The client against raw reqwest (issue 17, item 10): requests per second
//! and p50/p99 latency of check_transfer against a minimal local server
//! (axum on 127.0.0.1 answering a fixed check_transfer reply), at
//! concurrency 1, 8 and 64.
//!
//! - **client**: `Client::send(&CheckTransfer)`: encode, sign, post, read,
//!   parse once, decode the typed reply (owned).
//! - **raw**: a reqwest client (same features, same pool settings) posting
//!   the same bytes with the same four headers, computed once, and reading
//!   the body: the HTTP floor.
//! - **raw+sign**: raw, but the four headers are computed for each request
//!   (two MD5 passes): a second baseline, the floor of a client that signs.
//!
//! First, without a network, the client's own work per send (a canned
//! transport) and its parts measured alone: encode, sign, parse, decode.
//!
//! All run in the same process in **interleaved rounds** (each round
//! starts with the next contender) so the machine's load hits all alike; a ratio is
//! the median of the per-round ratios. criterion's own lines (one request
//! at concurrency 1) follow. See BENCHMARKS.md.
//!
//! `cargo bench -p opensrs-client --bench client`; `ROUNDS` and `REQUESTS`
//! (per round and concurrency) may be set in the environment.

use std::hint::black_box;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use criterion::Criterion;
use opensrs_actions::DomainName;
use opensrs_actions::domain::CheckTransfer;
use opensrs_client::{Client, HttpRequest, HttpResponse, Transport, TransportError};
use opensrs_core::secret::Secret;
use opensrs_core::sign::request_headers;
use opensrs_core::{Command, IntoOwned};
use tokio::runtime::Runtime;

const USER: &str = "bench_reseller";
const KEY: &str = "0123456789abcdef0123456789abcdef0123456789abcdef";
const REPLY: &[u8] =
    include_bytes!("../../ops-actions/fixtures/domain/check_transfer/reply_completed.xml");
const CONCURRENCY: [usize; 3] = [1, 8, 64];

/// Starts the minimal server; answers every POST with [`REPLY`].
fn start_server(rt: &Runtime) -> SocketAddr {
    rt.block_on(async {
        let app = axum::Router::new().route(
            "/",
            axum::routing::post(|| async {
                (
                    [(axum::http::header::CONTENT_TYPE, "text/xml")],
                    axum::body::Bytes::from_static(REPLY),
                )
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binds 127.0.0.1");
        let addr = listener.local_addr().expect("has an address");
        tokio::spawn(async move { axum::serve(listener, app).await.expect("serves") });
        addr
    })
}

fn command() -> CheckTransfer {
    CheckTransfer {
        domain: DomainName::new("example.com").expect("valid"),
        check_status: Some(true),
        get_request_address: None,
    }
}

/// The raw contender: reqwest and the pre-computed request.
#[derive(Clone)]
struct Raw {
    client: reqwest::Client,
    url: String,
    body: bytes::Bytes,
    headers: reqwest::header::HeaderMap,
    key: Secret,
}

impl Raw {
    fn new(addr: SocketAddr) -> Raw {
        let body = command().encode().expect("encodes");
        let signed = request_headers(USER, body.as_bytes(), &Secret::from(KEY));
        let mut headers = reqwest::header::HeaderMap::new();
        for (name, value) in signed.iter() {
            headers.insert(name, value.parse().expect("a header value"));
        }
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(120))
            .user_agent("raw-reqwest")
            .use_rustls_tls()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("builds");
        Raw {
            client,
            url: format!("http://{addr}/"),
            body: bytes::Bytes::from(body),
            headers,
            key: Secret::from(KEY),
        }
    }

    /// The second baseline: [`Raw::post`], but the four headers are
    /// computed for each request (the two MD5 passes of the signature
    /// included), as a client that signs must.
    async fn post_signed(&self) -> usize {
        let signed = request_headers(USER, &self.body, &self.key);
        let mut headers = reqwest::header::HeaderMap::with_capacity(4);
        for (name, value) in signed.iter() {
            headers.insert(name, value.parse().expect("a header value"));
        }
        self.post_with(headers).await
    }

    async fn post(&self) -> usize {
        self.post_with(self.headers.clone()).await
    }

    /// Posts the body with `headers` and reads the reply; its length.
    async fn post_with(&self, headers: reqwest::header::HeaderMap) -> usize {
        let response = self
            .client
            .post(&self.url)
            .headers(headers)
            .body(self.body.clone())
            .send()
            .await
            .expect("raw post");
        assert_eq!(response.status(), 200);
        response.bytes().await.expect("raw body").len()
    }
}

fn client(addr: SocketAddr) -> Client {
    Client::builder(format!("http://{addr}"))
        .username(USER)
        .key(Secret::from(KEY))
        .build()
        .expect("builds")
}

async fn send(client: &Client, command: &CheckTransfer) {
    let reply = client.send(command).await.expect("a typed reply");
    black_box(reply);
}

/// One block: `total` requests by `concurrency` tasks; the wall time and
/// every request's latency.
fn block<F, Fut>(
    rt: &Runtime,
    concurrency: usize,
    total: usize,
    one: F,
) -> (Duration, Vec<Duration>)
where
    F: Fn() -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    rt.block_on(async move {
        let per_task = total.div_ceil(concurrency);
        let started = Instant::now();
        let tasks: Vec<_> = (0..concurrency)
            .map(|_| {
                let one = one.clone();
                tokio::spawn(async move {
                    let mut lat = Vec::with_capacity(per_task);
                    for _ in 0..per_task {
                        let t = Instant::now();
                        one().await;
                        lat.push(t.elapsed());
                    }
                    lat
                })
            })
            .collect();
        let mut all = Vec::with_capacity(per_task * concurrency);
        for t in tasks {
            all.extend(t.await.expect("task"));
        }
        (started.elapsed(), all)
    })
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A contender of the interleaved table: `total` requests by
/// `concurrency` tasks.
type Contender<'a> = Box<dyn Fn(usize, usize) -> (Duration, Vec<Duration>) + 'a>;

/// The interleaved table.
fn print_interleaved(rt: &Runtime, addr: SocketAddr) {
    let rounds = env_or("ROUNDS", 9);
    let requests = env_or("REQUESTS", 1000);
    let client = client(addr);
    let raw = Raw::new(addr);
    let command = std::sync::Arc::new(command());
    let contenders: [Contender<'_>; 3] = [
        Box::new(|c, n| {
            let (cl, cm) = (client.clone(), command.clone());
            block(rt, c, n, move || {
                let (cl, cm) = (cl.clone(), cm.clone());
                async move { send(&cl, &cm).await }
            })
        }),
        Box::new(|c, n| {
            let r = raw.clone();
            block(rt, c, n, move || {
                let r = r.clone();
                async move {
                    black_box(r.post().await);
                }
            })
        }),
        Box::new(|c, n| {
            let r = raw.clone();
            block(rt, c, n, move || {
                let r = r.clone();
                async move {
                    black_box(r.post_signed().await);
                }
            })
        }),
    ];
    // Warm the pools.
    for c in CONCURRENCY {
        for run in &contenders {
            run(c, c * 4);
        }
    }
    println!(
        "interleaved: {rounds} rounds x {requests} requests per contender and concurrency \
         (median round; ratio = median of per-round time ratios; raw+sign = raw that \
         signs each request, a second baseline)"
    );
    println!(
        "| concurrency | client req/s | raw req/s | raw+sign req/s | client p50 | raw p50 | client p99 | raw p99 | client/raw | client/raw+sign |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for c in CONCURRENCY {
        let mut rps: [Vec<f64>; 3] = Default::default();
        let mut lats: [Vec<Duration>; 3] = Default::default();
        let mut ratios = (Vec::new(), Vec::new());
        for round in 0..rounds {
            let mut walls = [Duration::ZERO; 3];
            // Each round starts with the next contender.
            for k in 0..3 {
                let i = (round + k) % 3;
                let (wall, lat) = contenders[i](c, requests);
                rps[i].push(lat.len() as f64 / wall.as_secs_f64());
                lats[i].extend(lat);
                walls[i] = wall;
            }
            ratios
                .0
                .push(walls[0].as_secs_f64() / walls[1].as_secs_f64());
            ratios
                .1
                .push(walls[0].as_secs_f64() / walls[2].as_secs_f64());
        }
        for l in &mut lats {
            l.sort();
        }
        let [rps_client, rps_raw, rps_signed] = rps;
        println!(
            "| {c} | {:.0} | {:.0} | {:.0} | {:?} | {:?} | {:?} | {:?} | {:.3} | {:.3} |",
            median(rps_client),
            median(rps_raw),
            median(rps_signed),
            percentile(&lats[0], 0.50),
            percentile(&lats[1], 0.50),
            percentile(&lats[0], 0.99),
            percentile(&lats[1], 0.99),
            median(ratios.0),
            median(ratios.1),
        );
    }
}

/// A transport that answers [`REPLY`] at once: the client's own work,
/// without a network.
struct Canned;

impl Transport for Canned {
    async fn post(&self, req: HttpRequest) -> Result<HttpResponse, TransportError> {
        black_box(&req);
        Ok(HttpResponse {
            status: 200,
            body: REPLY.to_vec(),
        })
    }
}

/// The median over 7 blocks of `n` calls of `f`, per call.
fn per_call(n: u32, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..7)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..n {
                f();
            }
            t.elapsed() / n
        })
        .collect();
    times.sort();
    times[3]
}

/// Where the client's time goes, without a network: one whole send on a
/// canned transport, and its parts measured alone.
fn print_breakdown() {
    let n = u32::try_from(env_or("BREAKDOWN", 20_000)).unwrap_or(20_000);
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    let client = Client::builder("http://127.0.0.1:1")
        .username(USER)
        .key(Secret::from(KEY))
        .build_with(Canned)
        .expect("builds");
    let command = command();
    let key = Secret::from(KEY);
    let body = command.encode().expect("encodes");
    let send = per_call(n, || {
        black_box(rt.block_on(client.send(&command)).expect("a typed reply"));
    });
    let encode = per_call(n, || {
        black_box(command.encode().expect("encodes"));
    });
    let sign = per_call(n, || {
        black_box(request_headers(USER, body.as_bytes(), &key));
    });
    let parse = per_call(n, || {
        black_box(opensrs_core::parse(REPLY).expect("parses"));
    });
    let decode = per_call(n, || {
        let doc = opensrs_core::parse(REPLY).expect("parses");
        black_box(CheckTransfer::decode_reply(&doc).map(IntoOwned::into_owned)).expect("decodes");
    });
    println!(
        "client work per send, no network (canned transport, median of 7 x {n}): \
         {send:?}; alone: encode {encode:?}, sign (two MD5) {sign:?}, \
         parse the {} B reply {parse:?}, parse + typed owned decode {decode:?}",
        REPLY.len()
    );
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let addr = start_server(&rt);
    // The table runs only under `cargo bench`, not in `cargo test`'s smoke
    // run of each benchmark.
    if std::env::args().any(|a| a == "--bench") {
        print_breakdown();
        print_interleaved(&rt, addr);
    }
    let mut c = Criterion::default()
        .configure_from_args()
        .sample_size(20)
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1));
    let mut g = c.benchmark_group("check_transfer_c1");
    let client = client(addr);
    let command = command();
    g.bench_function("client_send", |b| {
        b.iter(|| rt.block_on(send(&client, &command)));
    });
    let raw = Raw::new(addr);
    g.bench_function("raw_reqwest", |b| {
        b.iter(|| rt.block_on(raw.post()));
    });
    g.finish();
    c.final_summary();
}
