#!/usr/bin/env bash
# Whole-process benchmark: `opensrs decode --check FILE` against a bare
# quick-xml event loop (ops-core/examples/quickxml_loop.rs) on the same
# file. Both are whole processes: start, read the file, check UTF-8, parse,
# exit. See WHOLE_PROCESS.md / BENCHMARKS.md.
#
# usage: ops-cli/bench/whole_process.sh [ROUNDS] [DOMAINS]   (defaults 21, 100000)
#   INDENT=N in the environment: spaces per nesting level of the input
#   (default 1; the fixtures have 4, which doubles the size of the file).
#
# The input is a check_transfer-style reply with DOMAINS entries, written by
# ops-cli/examples/gen_reply.rs (deterministic) into a temporary directory.
# Each round runs both commands once, alternating which goes first, so that
# the load of a shared machine hits both alike; a round's ratio is
# loop time / decode time ("decode --check runs at X times the loop's
# speed"), and the figure to read is the median of those ratios. Wall clock
# is the primary measure; the CPU time (user + system) of each process is
# reported too, as it is less disturbed by other work on the machine. Max
# RSS comes from one extra run of each under /usr/bin/time.
set -euo pipefail

rounds=${1:-21}
domains=${2:-100000}
indent=${INDENT:-1}
case "$rounds$domains$indent" in
*[!0-9]*) echo "usage: $0 [ROUNDS] [DOMAINS] (counts; INDENT=N likewise)" >&2; exit 2 ;;
esac
[ "$rounds" -ge 1 ] || { echo "ROUNDS must be at least 1" >&2; exit 2; }

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

echo "building (release)..." >&2
cargo build --quiet --release -p opensrs-cli --bin opensrs --example gen_reply
cargo build --quiet --release -p opensrs-core --example quickxml_loop
target=$(cargo metadata --format-version 1 --no-deps |
    sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
opensrs=$target/release/opensrs
qxml=$target/release/examples/quickxml_loop
gen=$target/release/examples/gen_reply
for b in "$opensrs" "$qxml" "$gen"; do
    [ -x "$b" ] || { echo "not built: $b" >&2; exit 1; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
input=$tmp/reply.xml
"$gen" "$domains" "$indent" >"$input"
bytes=$(wc -c <"$input")

# The command under test, as a user runs it. Above the default --max-size
# (32 MiB) the limit is raised to the file's size; that changes no work.
decode=("$opensrs" decode --check)
if [ "$bytes" -gt $((32 << 20)) ]; then
    decode+=(--max-size "$bytes")
fi
decode+=("$input")
loop=("$qxml" "$input")

# Both must succeed on the input, and decode --check must print nothing.
if ! out=$("${decode[@]}"); then
    echo "FAILED: ${decode[*]} did not exit 0" >&2
    exit 1
fi
[ -z "$out" ] || { echo "FAILED: decode --check printed to stdout" >&2; exit 1; }
events=$("${loop[@]}" 2>&1 >/dev/null) || { echo "FAILED: ${loop[*]}: $events" >&2; exit 1; }

# One run of "$@" (stdout and stderr discarded): "WALL CPU" in ms, wall
# clock and user + system CPU time of the process, from bash's `time`
# keyword (getrusage of the child; no extra process between the readings).
# On a loaded machine the wall clock includes the time spent waiting for a
# core; the CPU time does not, so it is the steadier of the two.
time_ms() {
    local TIMEFORMAT='%3R %3U %3S' t
    if ! { time "$@" >/dev/null 2>&1; } 2>"$tmp/time"; then
        echo "FAILED during the rounds: $*" >&2
        exit 1
    fi
    read -r -a t <"$tmp/time"
    awk -v r="${t[0]}" -v u="${t[1]}" -v s="${t[2]}" 'BEGIN { printf "%.3f %.3f\n", r * 1000, (u + s) * 1000 }'
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")

# One warm-up run each (page cache, binaries).
time_ms "${decode[@]}" >/dev/null
time_ms "${loop[@]}" >/dev/null

results=$tmp/rounds.txt
: >"$results"
for ((i = 0; i < rounds; i++)); do
    if ((i % 2 == 0)); then
        d=$(time_ms "${decode[@]}")
        q=$(time_ms "${loop[@]}")
    else
        q=$(time_ms "${loop[@]}")
        d=$(time_ms "${decode[@]}")
    fi
    echo "$d $q" >>"$results"
done

load_after=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")

# Max RSS in KiB, one extra run each.
rss() {
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f %M -o "$tmp/rss" "$@" >/dev/null 2>&1 &&
            tail -n 1 "$tmp/rss"
    else
        echo "?"
    fi
}
rss_decode=$(rss "${decode[@]}")
rss_loop=$(rss "${loop[@]}")

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
best() { sort -g | awk 'NR == 1'; }
# Columns of $results: decode wall, decode CPU, loop wall, loop CPU (ms).
col() { awk -v c="$1" '{ print $c }' "$results"; }
d_med=$(col 1 | median); d_best=$(col 1 | best); d_cpu=$(col 2 | median)
q_med=$(col 3 | median); q_best=$(col 3 | best); q_cpu=$(col 4 | median)
ratios() { awk -v q="$1" -v d="$2" '{ print $q / $d }' "$results"; }
ratio=$(ratios 3 1 | median)
ratio_lo=$(ratios 3 1 | best)
ratio_hi=$(ratios 3 1 | sort -g | awk 'END { print }')
cpu_ratio=$(ratios 4 2 | median)

mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
echo "input: $domains domains, indent $indent, $bytes bytes ($mb MB), ${events}"
echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo '?'), rounds: $rounds, cores: $(nproc 2>/dev/null || echo '?')"
echo "load average (1/5/15 min): before $load_before, after $load_after"
echo "decode: ${decode[*]/#$tmp\//}"
echo "loop:   ${loop[*]/#$tmp\//}"
echo
awk -v dm="$d_med" -v db="$d_best" -v dc="$d_cpu" -v qm="$q_med" -v qb="$q_best" -v qc="$q_cpu" \
    -v dr="$rss_decode" -v qr="$rss_loop" -v b="$bytes" 'BEGIN {
    printf "| contender | wall median ms | wall best ms | MB/s (wall median) | CPU median ms | max RSS KiB |\n"
    printf "|---|---:|---:|---:|---:|---:|\n"
    printf "| opensrs decode --check | %.1f | %.1f | %.0f | %.1f | %s |\n", dm, db, b / 1e3 / dm, dc, dr
    printf "| quick-xml event loop | %.1f | %.1f | %.0f | %.1f | %s |\n", qm, qb, b / 1e3 / qm, qc, qr
}'
echo
awk -v r="$ratio" -v lo="$ratio_lo" -v hi="$ratio_hi" -v c="$cpu_ratio" 'BEGIN {
    printf "median per-round ratio, wall clock (loop time / decode time): %.2fx (rounds ranged %.2fx to %.2fx)\n", r, lo, hi
    printf "median per-round ratio, CPU time (user + system): %.2fx\n", c
    printf "decode --check runs at %.2fx the speed of the bare quick-xml loop, whole process included\n", r
}'
