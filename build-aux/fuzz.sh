#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the fuzz targets with clang, libFuzzer, ASan and UBSan, and runs each
# for SECONDS (default 600), one after another:
#
#   build-aux/fuzz.sh [SECONDS] [TARGET...]     (targets: csv values import-row period sync-page)
#
# New inputs that reach new code are merged, minimised, into
# tests/fuzz/corpus/TARGET (commit them; the `fuzz` test suite replays them).
# A crash, sanitizer report or broken invariant does not stop the run: each
# crashing input is saved under tests/fuzz/findings/TARGET/ and listed at
# the end. The exit status is 1 when there were findings.
#
# KL_FUZZ_IGNORE=CHECK[,CHECK…] lets the targets fuzz on past a known defect
# (see kl_fuzz_ignores () in tests/fuzz/kl-fuzz.h), e.g. error-lines.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=600
if [ $# -gt 0 ] && [[ "$1" =~ ^[0-9]+$ ]]; then
  seconds=$1
  shift
fi
all_targets=(csv values import-row period sync-page)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")

./build-aux/deps.sh fuzz

builddir=_build-fuzz
if [ ! -f "$builddir/build.ninja" ]; then
  CC=clang meson setup "$builddir" -Dfuzzing=true -Db_sanitize=address,undefined \
    -Db_lundef=false -Dc_args=-fsanitize=fuzzer-no-link -Dbuildtype=debugoptimized
fi
meson compile -C "$builddir" $(printf 'tests/fuzz/fuzz-%s ' "${targets[@]}")

export ASAN_OPTIONS="abort_on_error=1:detect_leaks=1:symbolize=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export G_DEBUG=gc-friendly LC_ALL=C.UTF-8

tmp_root=${TMPDIR:-/tmp}
status=0
for target in "${targets[@]}"; do
  fuzzer="$builddir/tests/fuzz/fuzz-$target"
  corpus="tests/fuzz/corpus/$target"
  findings="tests/fuzz/findings/$target"
  work=$(mktemp -d "${tmp_root}/keyline-fuzz-$target-XXXXXX")
  mkdir -p "$corpus" "$work/new" "$work/artifacts" "$work/tmp"
  # What the targets leave in $TMPDIR when a job is cut short goes with $work.
  export TMPDIR="$work/tmp"
  echo "== fuzz-$target: ${seconds}s from $(ls "$corpus" | wc -l) inputs" >&2

  # Fork mode with crashes ignored: a finding is saved and the run goes on.
  "$fuzzer" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
    -artifact_prefix="$work/artifacts/" -print_final_stats=1 \
    "$work/new" "$corpus" >"$work/log" 2>&1 || true
  grep -E '^#[0-9]+: cov:|INFO: fuzzed for|stat::' "$work/log" | tail -n 4 >&2 || true

  # Merge: the corpus keeps all it had and gains, minimised, the new
  # inputs that reach code it does not.
  before=$(ls "$corpus" | wc -l)
  "$fuzzer" -merge=1 -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
    -artifact_prefix="$work/artifacts/" \
    "$corpus" "$work/new" >"$work/merge.log" 2>&1 || true
  echo "   corpus gained $(( $(ls "$corpus" | wc -l) - before )) inputs" >&2

  found=$(find "$work/artifacts" -type f | sort)
  if [ -n "$found" ]; then
    status=1
    mkdir -p "$findings"
    echo "   FINDINGS of fuzz-$target (log: $work/log):" >&2
    for f in $found; do
      cp "$f" "$findings/"
      echo "   $findings/$(basename "$f")" >&2
    done
  else
    rm -rf "$work"
  fi
done
exit $status
