#!/usr/bin/env bash
# Builds and runs batchtop's libFuzzer targets (Fuzz/README.md).
#
# Usage: scripts/fuzz.sh [TARGET...] [--runs N] [--seconds S] [--nice] [--merge] [--build-only] [-- LIBFUZZER_ARGS...]
#   TARGET       jsonl, api, config, theme, keys (default: all, one after another)
#   --runs N     stop each target after N inputs (default: 100000 when --seconds is not given)
#   --seconds S  stop each target after S seconds (with --runs: whichever comes first)
#   --merge      after the run, minimize the work corpus back into Fuzz/corpus/TARGET (-merge=1)
#   --build-only build the targets and stop
#   --nice       run the fuzzers under `nice -n 19` (shared machines); the per-input timeout becomes 60 s, as
#                libFuzzer's timer is wall-clock and a starved process would report false hangs
#
# Each target runs over a work copy of its committed corpus (.build-fuzz/work/TARGET, seeded from
# Fuzz/corpus/TARGET, so a run never changes the committed files unless --merge is given), with its
# dictionary (Fuzz/dict/TARGET.dict), -rss_limit_mb=2048 -timeout=10 and a per-target -max_len. Crashes,
# timeouts and OOMs are written to .build-fuzz/artifacts/TARGET/. Prints, per target: inputs run,
# execs/s, coverage (cov/ft), peak RSS and the verdict. Exits 1 if any target found a crash, a timeout or
# an OOM, 2 on a usage or build error.
#
# Reproduce a finding: .build-fuzz/release/FuzzJSONL .build-fuzz/artifacts/jsonl/crash-...
# Not part of CI: the fuzz build is a separate package (Fuzz/Package.swift) that `swift build` never sees.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

all_targets=(jsonl api config theme keys)
targets=()
runs=""
seconds=""
merge=0
build_only=0
nice_cmd=()
unit_timeout=10
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --merge) merge=1; shift ;;
    --build-only) build_only=1; shift ;;
    --nice) nice_cmd=(nice -n 19); unit_timeout=60; shift ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    jsonl|api|config|theme|keys) targets+=("$1"); shift ;;
    *) echo "fuzz.sh: unknown argument '$1' (targets: ${all_targets[*]}; see --help)" >&2; exit 2 ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")

binary() {
  case "$1" in
    jsonl) echo FuzzJSONL ;; api) echo FuzzAPI ;; config) echo FuzzConfig ;; theme) echo FuzzTheme ;; keys) echo FuzzKeys ;;
  esac
}
max_len() {
  case "$1" in
    jsonl) echo 4096 ;; api) echo 8192 ;; config) echo 4096 ;; theme) echo 4096 ;; keys) echo 256 ;;
  esac
}

scratch="$PWD/.build-fuzz"
echo "fuzz: building (release, -sanitize=fuzzer,address) into $scratch"
# -parse-as-library: the targets have no top-level code; libFuzzer's main calls LLVMFuzzerTestOneInput.
# The C and C++ dependencies (TOMLKit's toml++, SQLite) are instrumented too, so the parsers in them count.
# SwiftPM keeps the build plan of a path dependency when only its file list changes (a new source file is
# then "not in scope"): drop the plan when the set of source files differs from the last build.
sources_now=$(find Sources Fuzz/Sources -type f | LC_ALL=C sort | cksum)
if [ "$(cat "$scratch/sources.cksum" 2>/dev/null)" != "$sources_now" ]; then
  rm -f "$scratch"/*/release/description.json "$scratch/release.yaml"
fi
product=()
[ ${#targets[@]} -eq 1 ] && product=(--product "$(binary "${targets[0]}")")
if ! (cd Fuzz && swift build -c release --scratch-path "$scratch" "${product[@]}" \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library \
    -Xcc -fsanitize=fuzzer-no-link,address -Xcxx -fsanitize=fuzzer-no-link,address); then
  echo "fuzz: build failed" >&2
  exit 2
fi
echo "$sources_now" > "$scratch/sources.cksum"
[ "$build_only" = 1 ] && exit 0

# Leaks inside dependencies are suppressed, each with its reason (Fuzz/lsan.supp). Swift's own crash
# backtracer is off: a trap must reach libFuzzer's signal handler (which saves the input), and the
# backtracer's memory reader trips ASan.
export LSAN_OPTIONS="suppressions=$PWD/Fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export SWIFT_BACKTRACE="enable=no"
status=0
for t in "${targets[@]}"; do
  bin="$scratch/release/$(binary "$t")"
  work="$scratch/work/$t"
  artifacts="$scratch/artifacts/$t"
  log="$scratch/logs/$t-$(date +%Y%m%d-%H%M%S).log"
  mkdir -p "$work" "$artifacts" "$(dirname "$log")"
  [ -d "Fuzz/corpus/$t" ] && cp -n Fuzz/corpus/"$t"/* "$work"/ 2>/dev/null || true
  args=(-rss_limit_mb=2048 -timeout="$unit_timeout" -max_len="$(max_len "$t")" -print_final_stats=1 -artifact_prefix="$artifacts/")
  [ -f "Fuzz/dict/$t.dict" ] && args+=(-dict="Fuzz/dict/$t.dict")
  # TOMLKit leaks on every parse (Fuzz/lsan.supp), which would make libFuzzer run a full leak check after
  # every input of the TOML targets (10x slower) and find nothing: memory is bounded by -rss_limit_mb there.
  case "$t" in config|theme) args+=(-detect_leaks=0) ;; esac
  [ -n "$seconds" ] && args+=(-max_total_time="$seconds")
  if [ -n "$runs" ]; then args+=(-runs="$runs"); elif [ -z "$seconds" ]; then args+=(-runs=100000); fi
  echo "fuzz: $t: ${nice_cmd[*]} $bin ${args[*]} ${extra[*]} $work  (log: $log)"
  set +e
  "${nice_cmd[@]}" "$bin" "${args[@]}" "${extra[@]}" "$work" </dev/null >"$log" 2>&1
  rc=$?
  set -e
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1)
  found=$(grep -E '^(==[0-9]+==ERROR|FUZZ CHECK FAILED|.*ERROR: libFuzzer)' "$log" | head -3 || true)
  if [ "$rc" -eq 0 ]; then verdict="ok"; else verdict="FOUND (exit $rc): see $log and $artifacts"; status=1; fi
  printf 'fuzz: %-6s inputs %s, %s execs/s, %s, peak RSS %s MB: %s\n' "$t" "${execs:-?}" "${speed:-?}" "${cov:-cov ?}" "${rss:-?}" "$verdict"
  [ -n "$found" ] && echo "$found" | sed 's/^/fuzz:   /'
  if [ "$merge" = 1 ] && [ "$rc" -eq 0 ]; then
    mkdir -p "Fuzz/corpus/$t"
    merged="$scratch/merged/$t"
    rm -rf "$merged"; mkdir -p "$merged"
    "${nice_cmd[@]}" "$bin" -merge=1 -max_len="$(max_len "$t")" -rss_limit_mb=2048 -timeout=10 "$merged" "Fuzz/corpus/$t" "$work" \
      </dev/null >"$scratch/logs/$t-merge.log" 2>&1
    # Inputs that once found a bug (regression-*) stay under their names whatever their coverage.
    find "Fuzz/corpus/$t" -maxdepth 1 -type f ! -name 'regression-*' -delete
    cp -n "$merged"/* "Fuzz/corpus/$t"/
    echo "fuzz: $t: corpus minimized to $(ls "Fuzz/corpus/$t" | wc -l) files, $(du -sh "Fuzz/corpus/$t" | cut -f1)"
  fi
done
exit "$status"
