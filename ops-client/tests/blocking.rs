//! The blocking client against the local server (feature `blocking`).

mod common;

use common::*;
use opensrs_client::ClientError;

#[test]
fn the_blocking_client_sends_and_refuses_to_run_inside_a_runtime() {
    // The server runs on its own runtime thread.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(Server::start(|_, _| Answer::ok(transferrable())));
    let client = opensrs_client::blocking::Client::new(server.client().build().unwrap()).unwrap();
    let reply = client.send(&check_transfer("example.com")).unwrap();
    assert_eq!(reply.transferrable, Some(true));
    assert_eq!(server.failures(), Vec::<String>::new());
    assert_eq!(server.hits(), 1);

    let inside = rt.block_on(async { client.send(&check_transfer("example.com")) });
    assert!(
        matches!(inside, Err(ClientError::BlockingInAsync)),
        "{inside:?}"
    );
}
