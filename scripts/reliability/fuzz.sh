#!/usr/bin/env bash
# The longer fuzzing run (not part of scripts/test.sh): every cargo-fuzz
# target in fuzz/ for FUZZ_SECONDS seconds (default 600) one after another,
# at nice 10 in one process, starting from the committed corpus and the
# hand-written seeds; then each corpus is minimised (cargo fuzz cmin) back
# into fuzz/corpus/<target>. A crash stops the script with the input left in
# fuzz/artifacts/<target>/. Logs go to fuzz/logs/<target>.log; the last
# lines show executions, coverage and the run time.
#
#   scripts/reliability/fuzz.sh                  all targets, 10 minutes each
#   scripts/reliability/fuzz.sh forms config     only these
#   FUZZ_SECONDS=60 scripts/reliability/fuzz.sh  shorter
#
# Needs rustup with a nightly toolchain and cargo-fuzz; both are installed
# when missing (rustup toolchain install nightly; cargo install cargo-fuzz).
# The committed corpora are also replayed on stable by the README's test
# command (crates/web/tests/fuzz_corpus.rs).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root/fuzz"
secs=${FUZZ_SECONDS:-600}
all=(ssda903_csv ssda903_xml text_inputs forms config)
targets=("$@")
if (($# == 0)); then targets=("${all[@]}"); fi

rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
cargo +nightly fuzz --version >/dev/null 2>&1 || cargo install cargo-fuzz --locked

mkdir -p logs
nice -n 10 cargo +nightly fuzz build -O --features web
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  echo "==> fuzz $t for ${secs}s (log: fuzz/logs/$t.log)"
  nice -n 10 cargo +nightly fuzz run -O --features web "$t" "corpus/$t" "seeds/$t" -- \
    -max_total_time="$secs" -max_len=8192 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    >"logs/$t.log" 2>&1 || { tail -n 40 "logs/$t.log"; echo "fuzz.sh: $t crashed; see fuzz/artifacts/$t/" >&2; exit 1; }
  grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)' "logs/$t.log" || true
  nice -n 10 cargo +nightly fuzz cmin -O --features web "$t" "corpus/$t" -- -max_len=8192 >"logs/$t.cmin.log" 2>&1
  echo "    corpus: $(find "corpus/$t" -type f | wc -l) files, $(du -sk "corpus/$t" | cut -f1) KB on disk"
done
