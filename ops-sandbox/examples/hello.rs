//! The benchmark's baseline (`ops-sandbox/bench/run.sh`): an axum
//! hello-world on the same stack as the sandbox (axum, HTTP/1, a tokio
//! runtime with 2 worker threads), answering any `POST /` with a short body.
//!
//! ```sh
//! cargo run --release -p opensrs-sandbox --example hello -- 127.0.0.1:8081
//! ```

use std::net::SocketAddr;

use axum::Router;
use axum::routing::post;

fn main() -> std::io::Result<()> {
    let addr: SocketAddr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8081".to_owned())
        .parse()
        .map_err(std::io::Error::other)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_io()
        .build()?;
    runtime.block_on(async move {
        let app = Router::new().route("/", post(|| async { "Hello, World!" }));
        let listener = tokio::net::TcpListener::bind(addr).await?;
        println!("hello-world listening on http://{addr}/");
        axum::serve(listener, app).await
    })
}
