#!/usr/bin/env bash
# The dashboard's whole-process figures on a 100,000-job database (issue: dashboard benchmark):
#   - time to first frame: `batchtop --once` over the database (whole process: read + reduce + render), best of 5
#   - the live TUI in tmux against an idle emulator: time until the job list is on screen, CPU use over
#     20 s of 1 s ticks, and peak memory (VmHWM: resident, anonymous and file-backed)
# Usage: Benchmarks/dashboard-runtime.sh   (release build; needs tmux; SCRATCH=.build-x for a separate build folder)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --scratch-path "${SCRATCH:-.build}" --product batchtop >/dev/null
swift build -c release --scratch-path "${SCRATCH:-.build}" --product StoreBench >/dev/null
bin=$(swift build -c release --scratch-path "${SCRATCH:-.build}" --show-bin-path)
db=$("$bin/StoreBench" store --keep | sed -n 's/^kept \(.*\); time the command with:$/\1/p')
[ -n "$db" ] || { echo "StoreBench did not keep a database" >&2; exit 1; }
work=$(mktemp -d)
trap 'tmux -L btbench kill-server 2>/dev/null || true; kill "${emu:-0}" 2>/dev/null || true; rm -rf "$work" "$(dirname "$db")"' EXIT
export HOME="$work" OPENAI_API_KEY=sk-emulator-project

echo "database: $db ($(du -h "$db" | cut -f1))"
best=999
for _ in 1 2 3 4 5; do
  s=$(date +%s.%N); "$bin/batchtop" --once --db "$db" --width 200 --height 60 >/dev/null; e=$(date +%s.%N)
  best=$(python3 -c "print(min($best, $e - $s))")
done
python3 -c "print(f'time to first frame (--once, 200x60, 100,000 jobs): {$best*1000:.0f} ms best of 5 (target < 300 ms)')"

"$bin/batchtop" emulator --port 18799 --scenario empty >/dev/null 2>&1 & emu=$!
sleep 1
export OPENAI_BASE_URL=http://127.0.0.1:18799/v1
s=$(date +%s.%N)
tmux -L btbench -f /dev/null new-session -d -x 200 -y 60 "'$bin/batchtop' --db '$db'"
# The TUI draws its first frame at once ("loading jobs…"); what counts is the frame with the list.
until tmux -L btbench capture-pane -p 2>/dev/null | grep -q "100,000 jobs"; do sleep 0.01; done
e=$(date +%s.%N)
python3 -c "print(f'time to the first frame with the job list (TUI, 200x60, 100,000 jobs): {($e - $s)*1000:.0f} ms (target < 300 ms)')"
# The first minute is not idle: the first cycle prices every job into the ledger once.
sleep 60
pid=$(pgrep -f "$bin/batchtop --db $db" | head -1)
tick=$(getconf CLK_TCK)
read -r u1 s1 < <(awk '{print $14, $15}' "/proc/$pid/stat")
sleep 20
read -r u2 s2 < <(awk '{print $14, $15}' "/proc/$pid/stat")
python3 -c "print(f'idle CPU (1 s ticks, 20 s): {(($u2+$s2)-($u1+$s1))/$tick/20*100:.2f}% of a core (target < 2%)')"
echo "peak memory: $(awk '/VmHWM/ {printf "%.0f MB", $2/1024}' "/proc/$pid/status") (target < 100 MB)"
tmux -L btbench send-keys q
