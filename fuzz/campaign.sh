#!/usr/bin/env bash
# Fuzzes one target until it has had at least CPU_SECONDS of CPU time, on a
# shared machine where wall time says little.
#
#   fuzz/campaign.sh TARGET CPU_SECONDS [CHUNK_SECONDS]
#
# Builds the target once, then runs fuzz/run.sh in chunks of CHUNK_SECONDS
# (default 600) of wall time on the same corpus, adding up the CPU time each
# chunk used (user + system, from /usr/bin/time), until the total reaches
# CPU_SECONDS. Stops at the first chunk that ends with a finding (libFuzzer
# exits non-zero). Appends one line per chunk, and a total, to
# fuzz/campaign.log (gitignored): the figures FUZZING.md reports.
# FUZZ_NICE is passed to run.sh (default 19 there).
set -euo pipefail

if [[ $# -lt 2 || ! $2 =~ ^[0-9]+$ ]]; then
    echo "usage: $0 TARGET CPU_SECONDS [CHUNK_SECONDS]" >&2
    exit 2
fi
target=$1
goal=$2
chunk=${3:-600}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
log=$here/campaign.log
commit=$(git -C "$here" rev-parse --short HEAD)

(cd "$here" && RUSTC_BOOTSTRAP=1 cargo fuzz build "$target")

total=0
n=0
while ((total < goal)); do
    n=$((n + 1))
    left=$((goal - total))
    wall=$((left < chunk ? (left < 60 ? 60 : left) : chunk))
    out=$(mktemp)
    status=0
    /usr/bin/time -f '%U %S' -o "$out.time" "$here/run.sh" "$target" "$wall" >"$out" 2>&1 || status=$?
    # The last line: /usr/bin/time puts "Command exited with non-zero
    # status N" before it when the run fails.
    read -r user sys < <(tail -n 1 "$out.time")
    cpu=$(printf '%.0f' "$(echo "$user + $sys" | bc)")
    total=$((total + cpu))
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$out" | grep -o '[0-9]*$' || echo 0)
    echo "$(date -u +%FT%TZ) $target@$commit chunk $n: wall ${wall}s cpu ${cpu}s execs $runs exit $status (total cpu ${total}s)" | tee -a "$log"
    if ((status != 0)); then
        tail -n 40 "$out"
        echo "finding: see $here/artifacts/$target/" >&2
        rm -f "$out" "$out.time"
        exit 1
    fi
    rm -f "$out" "$out.time"
done
echo "$(date -u +%FT%TZ) $target@$commit done: ${total}s CPU in $n chunk(s)" | tee -a "$log"
