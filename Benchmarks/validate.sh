#!/usr/bin/env bash
# Validation throughput benchmark: generates a ~200 MB valid batch input file (50,000 chat requests of
# ~4 KB) in a temp dir, builds ValidateBench in release mode and runs it; prints MB/s and peak RSS,
# with `wc -l` throughput on the same file for reference, then writes the chunk files (upload form).
# CPU-time MB/s is printed too: on a shared machine it is the steadier figure.
# Usage: Benchmarks/validate.sh [LINES] [BYTES_PER_LINE]
set -euo pipefail
cd "$(dirname "$0")/.."
lines="${1:-50000}"
per_line="${2:-4000}"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
file="$dir/input.jsonl"

python3 - "$file" "$lines" "$per_line" <<'PY'
import json, random, sys
path, lines, per_line = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(7)
words = ("the batch lane costs about half of the real-time lane so pipelines that can wait should use it "
         "while people who are waiting stay real-time \u00e9t\u00e9 \u65e5\u672c \"quoted\" back\\slash").split(" ")
with open(path, "w", encoding="utf-8") as f:
    for i in range(lines):
        text = []
        size = 0
        while size < per_line - 260:
            w = rng.choice(words)
            text.append(w)
            size += len(w.encode()) + 1
        body = {"model": "gpt-4o-mini", "max_tokens": 256, "temperature": 0.2,
                "messages": [{"role": "system", "content": "You summarise support tickets."},
                             {"role": "user", "content": " ".join(text)}]}
        f.write(json.dumps({"custom_id": f"req-{i:07d}", "method": "POST",
                            "url": "/v1/chat/completions", "body": body}, ensure_ascii=False) + "\n")
PY
bytes=$(stat -c %s "$file")
echo "generated $file: $lines lines, $bytes bytes"

swift build -c release --product ValidateBench >"$dir/build.log" 2>&1 || { cat "$dir/build.log"; exit 1; }
bin="$(swift build -c release --show-bin-path)/ValidateBench"

cat "$file" >/dev/null  # warm the page cache so both readers see the same conditions
start=$(date +%s.%N); wc -l "$file" >/dev/null; end=$(date +%s.%N)
python3 -c "import sys; b,s,e=map(float,sys.argv[1:]); print(f'wc -l reference: {b/1e6/(e-s):.0f} MB/s')" "$bytes" "$start" "$end"

mkdir -p "$dir/chunks"
"$bin" "$file" 3 "$dir/chunks"
