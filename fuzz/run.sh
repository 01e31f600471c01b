#!/usr/bin/env bash
# Runs one fuzz target for a while, on stable Rust.
#
#   fuzz/run.sh TARGET SECONDS [extra libFuzzer flags...]
#
# TARGET is a [[bin]] of fuzz/Cargo.toml (parse, parse_differential, roundtrip,
# typed_replies, derive_roundtrip, reply_handling, sandbox_handler). The
# committed seeds (fuzz/seeds/TARGET) and regression inputs
# (fuzz/regressions/TARGET) are copied into the working corpus
# fuzz/corpus/TARGET (gitignored), where libFuzzer also keeps what it finds;
# crashes go to fuzz/artifacts/TARGET/.
# One process, niced (FUZZ_NICE=0 to run at normal priority). See FUZZING.md.
set -euo pipefail

if [[ $# -lt 2 || ! $2 =~ ^[0-9]+$ ]]; then
    echo "usage: $0 TARGET SECONDS [libFuzzer flags...]" >&2
    exit 2
fi
target=$1
seconds=$2
shift 2

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here"

case $target in
    parse | parse_differential) max_len=8192 ;;
    roundtrip) max_len=4096 ;;
    reply_handling) max_len=20000 ;; # past its 16 KiB reply limit
    *)
        if [[ ! -f fuzz_targets/$target.rs ]]; then
            echo "unknown target '$target'; targets: $(cd fuzz_targets && ls ./*.rs | sed 's|^\./||; s|\.rs$||' | tr '\n' ' ')" >&2
            exit 2
        fi
        max_len=4096
        ;;
esac

corpus=$here/corpus/$target
artifacts=$here/artifacts/$target
mkdir -p "$corpus" "$artifacts"
dirs=("$here/seeds/$target" "$here/regressions/$target")
# The differential target starts from the parse target's inputs as well.
if [[ $target == parse_differential ]]; then
    dirs+=("$here/seeds/parse" "$here/regressions/parse")
fi
for dir in "${dirs[@]}"; do
    if [[ -d $dir ]]; then
        # Only what is not there yet: a long-running corpus keeps its files.
        cp -n "$dir"/* "$corpus"/ 2>/dev/null || true
    fi
done

echo "fuzzing '$target' for ${seconds}s; corpus: $corpus"
echo "crashes, timeouts and OOMs go to: $artifacts/"
echo "replay one with: cargo fuzz run $target $artifacts/<file>   (from $here, with RUSTC_BOOTSTRAP=1)"

export RUSTC_BOOTSTRAP=1
exec nice -n "${FUZZ_NICE:-19}" cargo fuzz run "$target" "$corpus" -- \
    -dict="$here/xcp.dict" \
    -max_total_time="$seconds" \
    -max_len="$max_len" \
    -timeout=10 \
    -rss_limit_mb=2048 \
    -print_final_stats=1 \
    "$@"
