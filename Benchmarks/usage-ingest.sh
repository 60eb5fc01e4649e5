#!/usr/bin/env bash
# Usage-ingest benchmark: generates a ~200 MB batch output file (50,000 lines, mixed chat/completions,
# Responses and embeddings shapes, some failed and a few truncated lines) in a temp dir, then times in
# one run, on a warm page cache: `wc -l`, the Swift reader (release build), a plain python3
# json.loads loop, and jq (skipped with a note if absent). Prints MB/s and the Swift peak RSS, and
# checks that the Swift and python token totals agree.
#
#   Benchmarks/usage-ingest.sh            # LINES=50000 by default; LINES=5000 for a quick run
set -euo pipefail
cd "$(dirname "$0")/.."
LINES="${LINES:-50000}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
file="$tmp/output.jsonl"

echo "== generating $LINES lines into $file"
python3 - "$file" "$LINES" <<'PY'
import json, random, sys
path, n = sys.argv[1], int(sys.argv[2])
rng = random.Random(6)
words = ("the batch lane costs half of the real-time lane so nightly evaluation summaries and backfills "
         "belong there while a person waiting needs an answer now; tokens prompts caching reasoning output "
         "customer ticket refund invoice shipment delayed résumé naïve café 東京 – “quoted” model usage").split()
def text(nbytes):
    out, size = [], 0
    while size < nbytes:
        w = rng.choice(words)
        r = rng.random()
        if r < 0.02: w = 'He said "usage": {"prompt_tokens": 999999} and "model": "o1"'
        elif r < 0.05: w = 'a "quoted \\ path" C:\\temp\\'
        elif r < 0.08: w += "\n"
        out.append(w); size += len(w) + 1
    return " ".join(out)
def chat(i):
    model = rng.choice(["gpt-4o-mini-2024-07-18", "gpt-4.1-nano-2025-04-14", "gpt-4o-2024-08-06"])
    p, c = rng.randint(200, 3000), rng.randint(20, 800)
    body = {"id": f"chatcmpl-{i}", "object": "chat.completion", "created": 1764000000 + i, "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text(3600), "refusal": None,
                         "annotations": []}, "logprobs": None, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": p, "completion_tokens": c, "total_tokens": p + c,
                      "prompt_tokens_details": {"cached_tokens": rng.choice([0, 0, 128, 1024]) if p > 1024 else 0, "audio_tokens": 0},
                      "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0,
                                                    "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}},
            "service_tier": "default", "system_fingerprint": "fp_44709d6fcb"}
    return body
def responses(i):
    model = rng.choice(["gpt-5-2025-08-07", "gpt-5-mini-2025-08-07", "o4-mini-2025-04-16"])
    inp, out, rsn = rng.randint(300, 4000), rng.randint(100, 2000), rng.randint(0, 512)
    return {"id": f"resp_{i}", "object": "response", "created_at": 1764000000 + i, "status": "completed",
            "model": model, "output": [
                {"id": f"rs_{i}", "type": "reasoning", "summary": []},
                {"id": f"msg_{i}", "type": "message", "status": "completed", "role": "assistant",
                 "content": [{"type": "output_text", "text": text(3500), "annotations": []}]}],
            "usage": {"input_tokens": inp, "input_tokens_details": {"cached_tokens": rng.choice([0, 256, 1024]) if inp > 1024 else 0},
                      "output_tokens": out + rsn, "output_tokens_details": {"reasoning_tokens": rsn},
                      "total_tokens": inp + out + rsn}}
def embeddings(i):
    p = rng.randint(50, 800)
    return {"object": "list", "data": [{"object": "embedding", "index": 0,
            "embedding": [round(rng.uniform(-0.1, 0.1), 8) for _ in range(280)]}],
            "model": "text-embedding-3-small", "usage": {"prompt_tokens": p, "total_tokens": p}}
with open(path, "w", encoding="utf-8") as f:
    for i in range(n):
        r = rng.random()
        line = {"id": f"batch_req_{i:08d}", "custom_id": f"request-{i}"}
        if r < 0.015:
            line.update(response=None, error={"code": "batch_expired", "message": "This request could not be executed before the completion window expired."})
        elif r < 0.03:
            line.update(response={"status_code": 429, "request_id": f"req_{i}", "body": {"error": {
                "message": "Rate limit reached", "type": "requests", "param": None, "code": "rate_limit_exceeded"}}}, error=None)
        else:
            body = chat(i) if r < 0.48 else responses(i) if r < 0.85 else embeddings(i)
            line.update(response={"status_code": 200, "request_id": f"req_{i}", "body": body}, error=None)
        s = json.dumps(line, ensure_ascii=(i % 2 == 0))
        if i % 10000 == 5000: s = s[: len(s) // 2]   # a truncated line
        f.write(s + "\n")
PY
bytes=$(stat -c %s "$file")
mb=$(python3 -c "print(f'{$bytes/1e6:.1f}')")
echo "   $mb MB, $(wc -l < "$file") lines"

echo "== building (release)"
swift build -c release --product UsageIngestBench 2>&1 | grep -E 'error|Compiling|Build' | tail -3
bin="$(swift build -c release --show-bin-path)/UsageIngestBench"

cat "$file" > /dev/null   # warm the page cache so every reader sees the same conditions

cat > "$tmp/loop.py" <<'PY'
import json, sys
i = c = o = r = ok = failed = bad = 0
with open(sys.argv[1], "rb") as f:
    for raw in f:
        if not raw.strip(): continue
        try: line = json.loads(raw)
        except ValueError: bad += 1; continue
        resp = line.get("response")
        if line.get("error") or resp is None or resp.get("status_code", 200) >= 400: failed += 1
        else: ok += 1
        u = ((resp or {}).get("body") or {}).get("usage")
        if not u: continue
        if "input_tokens" in u:
            i += u["input_tokens"]; o += u.get("output_tokens", 0)
            c += (u.get("input_tokens_details") or {}).get("cached_tokens", 0)
            r += (u.get("output_tokens_details") or {}).get("reasoning_tokens", 0)
        else:
            i += u.get("prompt_tokens", 0); o += u.get("completion_tokens", 0)
            c += (u.get("prompt_tokens_details") or {}).get("cached_tokens", 0)
            r += (u.get("completion_tokens_details") or {}).get("reasoning_tokens", 0)
print(f"TOTALS input={i} cached={c} output={o} reasoning={r} succeeded={ok} failed={failed} unreadable={bad}")
PY

# measure LABEL OUTFILE CMD...: wall and CPU (user+sys) seconds of one run, via the bash time keyword.
# CPU time is reported too because a shared build machine makes wall time noisy.
TIMEFORMAT="%R %U %S"
measure() {
  local label="$1" out="$2"; shift 2
  { time "$@" > "$out" 2> "$tmp/stderr.txt" ; } 2> "$tmp/time.txt"
  echo "$label $(cat "$tmp/time.txt")" >> "$tmp/results.txt"
}

echo "== running (one run each, warm cache)"
measure "wc-l" /dev/null wc -l "$file"
measure "swift" "$tmp/swift.txt" "$bin" "$file"
measure "python3" "$tmp/python.txt" python3 "$tmp/loop.py" "$file"
jq="${JQ:-jq}"   # JQ=... picks another binary (or a missing one, to try the skip path)
if command -v "$jq" > /dev/null; then
  measure "jq" "$tmp/jq.txt" "$jq" -nR -c 'reduce (inputs | fromjson? | .response.body.usage // empty) as $u ({input:0, output:0};
          .input += ($u.input_tokens // $u.prompt_tokens // 0) | .output += ($u.output_tokens // $u.completion_tokens // 0))' "$file"
  jq_note=""
else
  jq_note="jq: skipped, not installed (apt-get install jq)"
fi

echo "== results: $mb MB, $LINES lines, load average $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$tmp/results.txt" "$bytes" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1])]
mb = int(sys.argv[2]) / 1e6
t = {r[0]: (float(r[1]), float(r[2]) + float(r[3])) for r in rows}
print(f"{'reader':10} {'wall s':>8} {'wall MB/s':>10} {'CPU s':>8} {'CPU MB/s':>9}")
for name, (wall, cpu) in t.items():
    print(f"{name:10} {wall:8.3f} {mb / wall:10.0f} {cpu:8.3f} {mb / max(cpu, 1e-3):9.0f}")
s = t["swift"]
print(f"swift vs python3: {t['python3'][0] / s[0]:.1f}x faster (wall), {t['python3'][1] / s[1]:.1f}x (CPU)   target >= 10x")
print(f"swift vs wc -l:   {s[0] / t['wc-l'][0]:.1f}x slower (wall), {s[1] / max(t['wc-l'][1], 1e-3):.1f}x (CPU)   target <= 4x")
if "jq" in t: print(f"swift vs jq:      {t['jq'][0] / s[0]:.1f}x faster (wall)")
PY
[ -n "${jq_note:-}" ] && echo "$jq_note"
echo "== swift reader output"
sed 's/^/    /' "$tmp/swift.txt"
echo "== python3 loop output"
sed 's/^/    /' "$tmp/python.txt"
[ -f "$tmp/jq.txt" ] && { echo "== jq output"; sed 's/^/    /' "$tmp/jq.txt"; }

if [ "$(grep '^TOTALS' "$tmp/swift.txt")" = "$(grep '^TOTALS' "$tmp/python.txt")" ]; then
  echo "== swift and python totals agree"
else
  echo "== MISMATCH between swift and python totals"; exit 1
fi
