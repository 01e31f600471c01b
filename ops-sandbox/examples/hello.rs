//! The benchmark's baseline (`ops-sandbox/bench/run.sh`): an axum
//! hello-world on the same stack as the sandbox (axum, HTTP/1, tokio),
//! answering any `POST /` with a short body, on a runtime built the way
//! `opensrs serve --workers N` builds the sandbox's: single-threaded for
//! 1 worker, multi-threaded with N workers otherwise.
//!
//! ```sh
//! cargo run --release -p opensrs-sandbox --example hello -- 127.0.0.1:8081 [WORKERS]
//! ```

use std::net::SocketAddr;

use axum::Router;
use axum::routing::post;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let addr: SocketAddr = args
        .next()
        .unwrap_or_else(|| "127.0.0.1:8081".to_owned())
        .parse()
        .map_err(std::io::Error::other)?;
    let workers: usize = match args.next() {
        Some(n) => n.parse().map_err(std::io::Error::other)?,
        None => 1,
    };
    let runtime = if workers <= 1 {
        tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()?
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(workers)
            .enable_io()
            .build()?
    };
    runtime.block_on(async move {
        let app = Router::new().route("/", post(|| async { "Hello, World!" }));
        let listener = tokio::net::TcpListener::bind(addr).await?;
        println!("hello-world listening on http://{addr}/ ({workers} worker(s))");
        axum::serve(listener, app).await
    })
}
