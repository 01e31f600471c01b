#!/usr/bin/env bash
# The sandbox benchmark of BENCHMARKS.md ("The sandbox over HTTP").
#
#   ops-sandbox/bench/run.sh [SECONDS] [WORKERS]
#       SECONDS per measurement (default 10); WORKERS: threads of both
#       servers (default 1)
#
# Builds (release) `opensrs` and the axum hello-world example, starts
# `opensrs serve --workers WORKERS` (built-in scenario, fixed key) and the
# hello-world with the same number of workers (so that the ratio compares
# like with like) on loopback, and measures both with wrk (Debian's `wrk`), interleaved:
# for each concurrency 1, 16, 64, the sandbox then hello-world, same Lua
# script (POST /, a signed check_transfer body of alice-shop.com with its
# precomputed X-Signature). Prints a Markdown table of requests/s and p99.
set -euo pipefail

seconds=${1:-10}
workers=${2:-1}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 2; }

cargo build --release -q -p opensrs-cli --bin opensrs
cargo build --release -q -p opensrs-sandbox --example hello
target=${CARGO_TARGET_DIR:-$root/target}/release

work=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

user=bench
key=$(printf '0123456789abcdef%.0s' 1 2 3 4 5 6 7)
printf '%s\n' "$key" >"$work/key"
chmod 600 "$work/key"
sed 's/example\.com/alice-shop.com/' ops-actions/fixtures/domain/check_transfer/request.xml >"$work/body.xml"
# X-Signature = md5_hex(md5_hex(body . key) . key)
inner=$( { cat "$work/body.xml"; printf '%s' "$key"; } | md5sum | cut -d' ' -f1)
signature=$(printf '%s%s' "$inner" "$key" | md5sum | cut -d' ' -f1)

sandbox_port=${SANDBOX_PORT:-18080}
hello_port=${HELLO_PORT:-18081}
"$target/opensrs" serve --listen "127.0.0.1:$sandbox_port" --user "$user" --key-file "$work/key" --workers "$workers" >"$work/serve.log" &
pids+=($!)
"$target/examples/hello" "127.0.0.1:$hello_port" "$workers" >"$work/hello.log" &
pids+=($!)
for port in "$sandbox_port" "$hello_port"; do
    for _ in $(seq 50); do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
        sleep 0.1
    done
done

# One request first: the sandbox must answer it with a reply, not a 401.
reply=$(curl -s -X POST -H 'Content-Type: text/xml' -H "X-Username: $user" \
    -H "X-Signature: $signature" --data-binary @"$work/body.xml" "http://127.0.0.1:$sandbox_port/")
grep -q '<item key="response_code">200</item>' <<<"$reply" || {
    echo "the sandbox did not answer 200:" >&2
    echo "$reply" >&2
    exit 1
}
echo "body: $(wc -c <"$work/body.xml") bytes, reply: ${#reply} bytes" >&2

export BENCH_BODY=$work/body.xml BENCH_USER=$user BENCH_SIGNATURE=$signature
lua=$root/ops-sandbox/bench/check_transfer.lua

# wrk's summary: requests/s and the 99th percentile (in ms).
measure() {
    local port=$1 conns=$2 threads=2 out
    ((conns < threads)) && threads=$conns
    out=$(wrk -t"$threads" -c"$conns" -d"${seconds}s" --latency -s "$lua" "http://127.0.0.1:$port/")
    if grep -q 'Non-2xx' <<<"$out"; then
        echo "non-2xx answers on port $port:" >&2
        echo "$out" >&2
        exit 1
    fi
    local rps p99
    rps=$(awk '/^Requests\/sec:/ {printf "%d", $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us$/, "", v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/, "", v)} else if (v ~ /s$/) {sub(/s$/, "", v); v*=1000}; printf "%.2f", v}' <<<"$out")
    echo "$rps $p99"
}

echo "both servers: $workers worker thread(s); wrk: 2 threads (1 at concurrency 1)" >&2
echo "| concurrency | sandbox check_transfer (req/s) | p99 | axum hello-world (req/s) | p99 | ratio |"
echo "|---:|---:|---:|---:|---:|---:|"
for c in 1 16 64; do
    s=$(measure "$sandbox_port" "$c") || exit 1
    h=$(measure "$hello_port" "$c") || exit 1
    read -r s_rps s_p99 <<<"$s"
    read -r h_rps h_p99 <<<"$h"
    ratio=$(awk -v s="$s_rps" -v h="$h_rps" 'BEGIN {printf "%.2f", s / h}')
    printf '| %d | %s | %s ms | %s | %s ms | %s |\n' "$c" "$s_rps" "$s_p99" "$h_rps" "$h_p99" "$ratio"
done
