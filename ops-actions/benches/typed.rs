//! Typed decoding and encoding against the untyped codec, side by side.
//!
//! - `decode/*`: the check_transfer reply (~1 KB) parsed untyped
//!   (`opensrs_core::parse`), then parsed and decoded into a small hand-written
//!   struct through the conversion traits (issue 3), then into the derived
//!   `CheckTransferReply` (issues 4 and 11). Target: typed ≤ 1.2× untyped.
//! - `encode/*`: a 10,000-domain simple_transfer request written by the
//!   derived encoder, and the same value written through the untyped writer
//!   from an owned `Value`. Target: typed ≥ 0.9× the untyped speed.
//!
//! `cargo bench -p opensrs-actions --bench typed`

#![allow(missing_docs, deprecated)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use opensrs_actions::DomainName;
use opensrs_actions::domain::{CheckTransfer, SimpleTransfer, TransferDomain};
use opensrs_core::{
    Command, DecodeError, FromXcp, OwnedDocument, OwnedHeader, Reply, Value, parse, write_document,
};

const REPLY: &str = include_str!("../fixtures/domain/check_transfer/reply_pending_registry.xml");

/// What a client might write by hand: three fields through the traits.
struct Small<'a> {
    status: &'a str,
    transferrable: bool,
    unixtime: u64,
}

fn small<'a>(reply: &Reply<'a>) -> Result<Small<'a>, DecodeError> {
    let attrs = opensrs_core::__private::attributes(reply)?;
    let (mut status, mut transferrable, mut unixtime) = (None, None, None);
    for item in attrs.iter() {
        match item.key() {
            "status" => status = Some(<&str>::from_xcp(item)?),
            "transferrable" => transferrable = Some(bool::from_xcp(item)?),
            "unixtime" => unixtime = Some(u64::from_xcp(item)?),
            _ => {}
        }
    }
    let missing = |k| DecodeError::missing(attrs, k);
    Ok(Small {
        status: status.ok_or_else(|| missing("status"))?,
        transferrable: transferrable.ok_or_else(|| missing("transferrable"))?,
        unixtime: unixtime.ok_or_else(|| missing("unixtime"))?,
    })
}

fn decode(c: &mut Criterion) {
    let mut g = c.benchmark_group("decode check_transfer reply");
    g.throughput(Throughput::Bytes(REPLY.len() as u64));
    g.bench_function("untyped parse", |b| {
        b.iter(|| parse(black_box(REPLY.as_bytes())).map(|d| d.len()))
    });
    g.bench_function("typed: hand-written struct", |b| {
        b.iter(|| {
            let doc = parse(black_box(REPLY.as_bytes())).unwrap();
            let reply = Reply::from_document(&doc).unwrap();
            let s = small(&reply).unwrap();
            black_box((s.status.len(), s.transferrable, s.unixtime));
        })
    });
    g.bench_function("typed: derived CheckTransferReply", |b| {
        b.iter(|| {
            let doc = parse(black_box(REPLY.as_bytes())).unwrap();
            let r = CheckTransfer::decode_reply(&doc).unwrap();
            black_box(r.unixtime);
        })
    });
    g.finish();
}

fn request(n: usize) -> SimpleTransfer {
    let domains = (0..n)
        .map(|i| {
            TransferDomain::new(
                DomainName::new(&format!("newtransfer{i}.com")).unwrap(),
                format!("Mj%zA>{i}r"),
            )
        })
        .collect();
    SimpleTransfer::new(domains, vec![]).unwrap()
}

fn encode(c: &mut Criterion) {
    let req = request(10_000);
    let xml = req.encode().unwrap();
    // The same envelope as an owned value, for the untyped writer.
    let owned: OwnedDocument = parse(xml.as_bytes()).unwrap().to_owned_document();
    assert_eq!(owned.header, OwnedHeader::default());
    let untyped = write_document(&owned, false).unwrap();
    assert_eq!(untyped, xml, "both writers give the same bytes");
    let mut g = c.benchmark_group("encode simple_transfer 10,000 domains");
    g.throughput(Throughput::Bytes(xml.len() as u64));
    g.bench_function("typed (derived encoder)", |b| {
        b.iter(|| black_box(&req).encode().unwrap().len())
    });
    g.bench_function("untyped writer from Value", |b| {
        b.iter(|| write_document(black_box(&owned), false).unwrap().len())
    });
    g.finish();
    let _: &Value = &owned.value;
}

criterion_group!(benches, decode, encode);
criterion_main!(benches);
