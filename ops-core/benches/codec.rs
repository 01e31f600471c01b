//! Parse and write throughput of the ops-core codec, side by side with
//! quick-xml's raw event loop and roxmltree on the same bytes, plus heap
//! allocations per parse (counted by a global allocator).
//!
//! `cargo bench -p opensrs-core --bench codec -- --warm-up-time 1 --measurement-time 3`
//!
//! Inputs: (a) the check_transfer reply fixture (~1 KB); (b) a
//! simple_transfer request with 10,000 domains (~1.3 MB); (c) the same with
//! entity-escaped auth codes. See BENCHMARKS.md for the results.

mod common;

use std::alloc::System;
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput};
use opensrs_core::{Writer, parse_str};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

use common::{
    CHECK_TRANSFER_REPLY, quick_xml_events, roxmltree_parse, simple_transfer, stream_document,
};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// One input: a name for criterion and the document text.
struct Input {
    name: &'static str,
    xml: String,
}

fn inputs() -> Vec<Input> {
    vec![
        Input {
            name: "a_check_transfer_reply",
            xml: CHECK_TRANSFER_REPLY.to_owned(),
        },
        Input {
            name: "b_simple_transfer_10k",
            xml: simple_transfer(10_000, false),
        },
        Input {
            name: "c_simple_transfer_10k_escaped",
            xml: simple_transfer(10_000, true),
        },
    ]
}

/// Heap calls and bytes of one run of `f` (the result is dropped inside).
fn count_allocs<T>(f: impl FnOnce() -> T) -> (usize, usize, usize) {
    let region = Region::new(GLOBAL);
    drop(black_box(f()));
    let s = region.change();
    (s.allocations, s.reallocations, s.bytes_allocated)
}

fn print_allocations() {
    println!("\nheap allocations per call (alloc + realloc calls; bytes allocated)");
    println!(
        "{:<48} {:>9} {:>7} {:>8} {:>12}",
        "input / operation", "bytes in", "allocs", "reallocs", "bytes alloc"
    );
    let cases: Vec<(String, String)> = vec![
        ("a check_transfer reply".into(), CHECK_TRANSFER_REPLY.into()),
        (
            "b simple_transfer 1,000".into(),
            simple_transfer(1_000, false),
        ),
        (
            "b simple_transfer 10,000".into(),
            simple_transfer(10_000, false),
        ),
        (
            "b simple_transfer 100,000".into(),
            simple_transfer(100_000, false),
        ),
        ("c escaped 1,000".into(), simple_transfer(1_000, true)),
        ("c escaped 10,000".into(), simple_transfer(10_000, true)),
        ("c escaped 100,000".into(), simple_transfer(100_000, true)),
    ];
    let row = |label: &str, len: usize, (a, r, b): (usize, usize, usize)| {
        println!("{label:<48} {len:>9} {a:>7} {r:>8} {b:>12}");
    };
    for (name, xml) in &cases {
        let xml = xml.as_str();
        row(
            &format!("{name}: ops parse_str"),
            xml.len(),
            count_allocs(|| parse_str(xml).expect("parses")),
        );
        row(
            &format!("{name}: quick-xml raw loop"),
            xml.len(),
            count_allocs(|| quick_xml_events(xml)),
        );
        row(
            &format!("{name}: roxmltree"),
            xml.len(),
            count_allocs(|| roxmltree_parse(xml)),
        );
        let doc = parse_str(xml).expect("parses");
        let cap = xml.len() + 4096;
        row(
            &format!("{name}: stream write from Document"),
            xml.len(),
            count_allocs(|| stream_document(&doc, String::with_capacity(cap)).expect("writes")),
        );
    }
    println!();
}

/// Times contenders in interleaved rounds: each round runs a ~4 ms block of
/// every contender back to back (in a rotating order), so that load from
/// other processes on the shared machine hits them alike. Returns, per
/// round, the seconds per call of each contender.
fn interleave(contenders: &mut [&mut dyn FnMut()], rounds: usize) -> Vec<Vec<f64>> {
    let t = Instant::now();
    (contenders[0])();
    let one = t.elapsed().as_nanos().max(1);
    let k = (Duration::from_millis(4).as_nanos() / one).max(1) as usize;
    let n = contenders.len();
    (0..rounds)
        .map(|r| {
            let mut t = vec![0.0; n];
            for j in 0..n {
                let w = (r + j) % n;
                let start = Instant::now();
                for _ in 0..k {
                    (contenders[w])();
                }
                t[w] = start.elapsed().as_secs_f64() / k as f64;
            }
            t
        })
        .collect()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Median and best (fastest round) MB/s of contender `i`.
fn mbps(rounds: &[Vec<f64>], i: usize, bytes: usize) -> (f64, f64) {
    let v: Vec<f64> = rounds.iter().map(|t| bytes as f64 / t[i] / 1e6).collect();
    let best = v.iter().copied().fold(0.0, f64::max);
    (median(v), best)
}

/// Median over rounds of contender `i`'s throughput over contender `j`'s.
fn ratio(rounds: &[Vec<f64>], i: usize, j: usize) -> f64 {
    median(rounds.iter().map(|t| t[j] / t[i]).collect())
}

const ROUNDS: usize = 41;

/// Parse throughput side by side; the ratios are the ones BENCHMARKS.md
/// reports (criterion's sequential runs drift with the machine's load).
fn print_interleaved_parse(inputs: &[Input]) {
    println!("parse, interleaved rounds: MB/s median (best); ratio = median of per-round ratios");
    println!(
        "{:<30} {:>13} {:>13} {:>13} {:>7} {:>7}",
        "input", "ops", "quick-xml", "roxmltree", "ops/qx", "ops/rox"
    );
    for input in inputs {
        let s = input.xml.as_str();
        let rounds = interleave(
            &mut [
                &mut || drop(black_box(parse_str(black_box(s)))),
                &mut || {
                    black_box(quick_xml_events(black_box(s)));
                },
                &mut || drop(black_box(roxmltree_parse(black_box(s)))),
            ],
            ROUNDS,
        );
        let cell = |i| {
            let (m, b) = mbps(&rounds, i, s.len());
            format!("{m:.0} ({b:.0})")
        };
        println!(
            "{:<30} {:>13} {:>13} {:>13} {:>6.2}x {:>6.2}x",
            input.name,
            cell(0),
            cell(1),
            cell(2),
            ratio(&rounds, 0, 1),
            ratio(&rounds, 0, 2)
        );
    }
    println!();
}

/// Write throughput (bytes of output) side by side: streaming from the
/// borrowed document, and from an owned `Value`, into a reused buffer.
fn print_interleaved_write(inputs: &[Input]) {
    println!("write, interleaved rounds: MB/s of output, median (best)");
    println!(
        "{:<30} {:>9} {:>15} {:>15}",
        "input", "out bytes", "from Document", "from Value"
    );
    for input in inputs.iter().filter(|i| i.xml.len() > 100_000) {
        let doc = parse_str(&input.xml).expect("parses");
        let owned = doc.to_owned_document();
        let out_len = stream_document(&doc, String::new()).expect("writes").len();
        let buf = std::cell::RefCell::new(String::with_capacity(out_len + 4096));
        let rounds = interleave(
            &mut [
                &mut || {
                    let mut b = buf.borrow_mut();
                    b.clear();
                    let out = stream_document(black_box(&doc), std::mem::take(&mut *b));
                    *b = out.expect("writes");
                },
                &mut || {
                    let mut b = buf.borrow_mut();
                    b.clear();
                    let mut w = Writer::new(std::mem::take(&mut *b));
                    w.start_envelope(&owned.header.as_header()).expect("writes");
                    w.value(black_box(&owned.value)).expect("writes");
                    *b = w.finish().expect("writes");
                },
            ],
            ROUNDS,
        );
        let cell = |i| {
            let (m, b) = mbps(&rounds, i, out_len);
            format!("{m:.0} ({b:.0})")
        };
        println!(
            "{:<30} {:>9} {:>15} {:>15}",
            input.name,
            out_len,
            cell(0),
            cell(1)
        );
    }
    println!();
}

fn bench_parse(c: &mut Criterion, inputs: &[Input]) {
    for input in inputs {
        let s = input.xml.as_str();
        let mut g = c.benchmark_group(format!("parse/{}", input.name));
        g.throughput(Throughput::Bytes(s.len() as u64));
        if s.len() > 100_000 {
            g.sample_size(30);
        }
        g.bench_with_input(BenchmarkId::from_parameter("ops_parse_str"), s, |b, s| {
            b.iter(|| parse_str(black_box(s)).expect("parses"));
        });
        g.bench_with_input(
            BenchmarkId::from_parameter("quick_xml_raw_loop"),
            s,
            |b, s| {
                b.iter(|| quick_xml_events(black_box(s)));
            },
        );
        g.bench_with_input(BenchmarkId::from_parameter("roxmltree"), s, |b, s| {
            b.iter(|| roxmltree_parse(black_box(s)));
        });
        g.finish();
    }
}

fn bench_write(c: &mut Criterion, inputs: &[Input]) {
    for input in inputs.iter().filter(|i| i.xml.len() > 100_000) {
        let doc = parse_str(&input.xml).expect("parses");
        let owned = doc.to_owned_document();
        let expected = stream_document(&doc, String::new()).expect("writes");
        // Both paths write the same canonical bytes, and they parse back to
        // the same value.
        assert_eq!(
            opensrs_core::write_document(&owned, false).expect("writes"),
            expected
        );
        assert_eq!(
            parse_str(&expected).expect("reparses").to_owned_document(),
            owned
        );
        let mut g = c.benchmark_group(format!("write/{}", input.name));
        g.throughput(Throughput::Bytes(expected.len() as u64));
        g.sample_size(30);
        // The output buffer is reused: it is preallocated once, outside the
        // timing, and handed to each Writer.
        let mut buf = String::with_capacity(expected.len() + 4096);
        g.bench_function("stream_from_document", |b| {
            b.iter(|| {
                buf.clear();
                buf = stream_document(black_box(&doc), std::mem::take(&mut buf)).expect("writes");
            });
        });
        g.bench_function("from_value", |b| {
            b.iter(|| {
                buf.clear();
                let mut w = Writer::new(std::mem::take(&mut buf));
                w.start_envelope(&owned.header.as_header()).expect("writes");
                w.value(black_box(&owned.value)).expect("writes");
                buf = w.finish().expect("writes");
            });
        });
        g.bench_function("write_document_fresh_string", |b| {
            b.iter(|| opensrs_core::write_document(black_box(&owned), false).expect("writes"));
        });
        g.finish();
        drop(buf);
    }
}

fn main() {
    let inputs = inputs();
    for i in &inputs {
        println!("input {}: {} bytes", i.name, i.xml.len());
    }
    // The tables run only under `cargo bench` (not in `cargo test`'s smoke
    // run of each benchmark), and not under `--profile-time`, where a
    // profiler wants the chosen benchmark alone.
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--profile-time") {
        print_allocations();
        print_interleaved_parse(&inputs);
        print_interleaved_write(&inputs);
    }
    let mut c = Criterion::default().configure_from_args();
    bench_parse(&mut c, &inputs);
    bench_write(&mut c, &inputs);
    c.final_summary();
}
