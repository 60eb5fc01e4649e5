#!/usr/bin/env python3
"""Soak batchtop the way a bad night does: a resident poller, the dashboard and every write command on one
database, against the emulator with random faults, for a long time. Then count what was lost.

Usage (from the repository root):
    swift build -c release --product batchtop
    python3 scripts/soak.py --minutes 60 --speed 120            # the issue's hour
    python3 scripts/soak.py --minutes 3 --bin .build/debug/batchtop

What runs at once, all on one SQLite database:
  - `batchtop emulator --scenario demo --control` at --speed simulated seconds per real second;
  - a resident `batchtop sync` (the poller under test);
  - the dashboard (`batchtop --db D`) in a private tmux server at 160x48;
  - every few seconds one write command, chosen at random: reclassify, cancel, resubmit --failed-only,
    decisions approve/reject, submit (a new small file, batch lane), a second poller (`sync --once`), and reads;
  - every few seconds a random fault at the emulator: 429 with Retry-After, 500/503, latency, dropped
    connections, malformed bodies, a lost create response, a transient 404 on GET /v1/batches/{id}.

At the end the faults stop, the poller gets a few clean cycles, and the script reports (and exits 1 if any
is not zero/true):
  - lost: batches at the emulator that the database does not hold, or holds with another status;
  - doubled: batchtop job ids (metadata.batchtop_job_id) that own more than one batch (double spend);
  - stuck: seconds the poller's last success lagged behind, at worst, and "database is locked" failures;
  - audit: `batchtop audit --verify`;
  - figures: API calls by endpoint, commands run and how they exited, errors the poller reported, memory
    (RSS) of the poller and the dashboard over time.
Everything it starts is stopped at the end (tmux server included), also on Ctrl-C.
"""
import argparse
import json
import os
import pwd
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

PROJECT, ADMIN = "sk-emulator-project", "sk-emulator-admin"
WORKLOADS = ["nightly-eval", "moderation-backfill", "support-summaries", "embeddings-refresh", "soak-load"]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--minutes", type=float, default=60, help="how long the processes run together (default 60)")
    p.add_argument("--speed", type=float, default=120, help="emulator simulated seconds per real second (default 120)")
    p.add_argument("--bin", default=".build/release/batchtop", help="the batchtop binary (default .build/release/batchtop)")
    p.add_argument("--seed", type=int, default=7, help="seed of the script's random choices (default 7)")
    p.add_argument("--write-every", type=float, default=3, help="seconds between write commands (default 3)")
    p.add_argument("--fault-every", type=float, default=8, help="seconds between injected faults (default 8)")
    p.add_argument("--sample-every", type=float, default=15, help="seconds between memory samples (default 15)")
    p.add_argument("--keep", action="store_true", help="keep the scratch directory")
    return p.parse_args()


class Soak:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        self.bin = os.path.abspath(args.bin)
        if not os.access(self.bin, os.X_OK):
            sys.exit(f"soak: {self.bin} is not an executable; build it first (swift build -c release --product batchtop) or pass --bin")
        self.dir = tempfile.mkdtemp(prefix="batchtop-soak-")
        self.db = os.path.join(self.dir, "soak.sqlite")
        self.tmux = f"batchtop-soak-{os.getpid()}"
        self.procs = {}
        self.commands = {}  # name -> {"ok": n, "failed": n, "locked": n}
        self.faults = {}
        self.messages = {}  # (command, first stderr line) -> count, for failed commands
        self.samples = []  # (t, poller rss KiB, dashboard rss KiB, seconds since last success, failures)
        self.worst_lag = 0
        self.locked_failures = 0
        self.submitted = 0
        self.started = time.time()

    # -- processes -----------------------------------------------------------------------------------
    def env(self):
        e = dict(os.environ)
        for k in list(e):
            if k.startswith("OPENAI_") or k.startswith("BATCHTOP_"):
                del e[k]
        e.update({
            "OPENAI_BASE_URL": self.base + "/v1", "OPENAI_API_KEY": PROJECT, "OPENAI_ADMIN_KEY": ADMIN,
            "BATCHTOP_CONFIG_DIR": os.path.join(self.dir, "config"), "XDG_DATA_HOME": os.path.join(self.dir, "data"),
            "XDG_STATE_HOME": os.path.join(self.dir, "state"), "TERM": "xterm-256color",
        })
        return e

    def start_emulator(self):
        p = subprocess.Popen([self.bin, "emulator", "--port", "0", "--scenario", "demo", "--speed", str(self.args.speed),
                              "--control"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.procs["emulator"] = p
        deadline = time.time() + 30
        while time.time() < deadline:
            line = p.stdout.readline()
            m = re.search(r"base URL:\s+(http://127\.0\.0\.1:\d+)/v1", line)
            if m:
                self.base = m.group(1)
                return
        raise SystemExit("soak: the emulator did not print its base URL within 30 s")

    def write_config(self):
        os.makedirs(os.path.join(self.dir, "config"), mode=0o700)
        user = pwd.getpwuid(os.geteuid()).pw_name
        with open(os.path.join(self.dir, "config", "config.toml"), "w") as f:
            f.write(f'[identity]\nname = "{user}"\n\n[approvals]\napprovers = ["{user}"]\nallow_self_approval = true\n')

    def start_poller(self):
        log = open(os.path.join(self.dir, "sync.log"), "w")
        self.procs["sync"] = subprocess.Popen([self.bin, "sync", "--db", self.db], stdout=log, stderr=log, env=self.env())

    def start_dashboard(self):
        cmd = f"{self.bin} --db {self.db} 2>{os.path.join(self.dir, 'dashboard.err')}"
        env_args = []
        for k, v in self.env().items():
            if k.startswith(("OPENAI_", "BATCHTOP_", "XDG_")):
                env_args += ["-e", f"{k}={v}"]
        subprocess.run(["tmux", "-L", self.tmux, "new-session", "-d", "-s", "soak", "-x", "160", "-y", "48"] + env_args
                       + ["/bin/sh", "-c", cmd], check=True)

    def dashboard_pid(self):
        r = subprocess.run(["tmux", "-L", self.tmux, "list-panes", "-t", "soak", "-F", "#{pane_pid}"],
                           capture_output=True, text=True)
        shell = r.stdout.strip()
        if not shell:
            return None
        r = subprocess.run(["pgrep", "-P", shell], capture_output=True, text=True)
        kids = r.stdout.split()
        return int(kids[0]) if kids else int(shell)

    def stop_all(self):
        subprocess.run(["tmux", "-L", self.tmux, "kill-server"], capture_output=True)
        for name in ("sync", "emulator"):
            p = self.procs.get(name)
            if p and p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()

    # -- helpers -------------------------------------------------------------------------------------
    def http(self, method, path, body=None, key=None):
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"}
        if key:
            headers["Authorization"] = "Bearer " + key
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.loads(r.read() or b"null")

    def run(self, name, argv, timeout=120):
        t0 = time.time()
        try:
            r = subprocess.run([self.bin] + argv + ["--db", self.db], capture_output=True, text=True, env=self.env(),
                               timeout=timeout)
            code, err = r.returncode, r.stderr
        except subprocess.TimeoutExpired:
            code, err = "timeout", ""
        stats = self.commands.setdefault(name, {"ok": 0, "failed": 0, "locked": 0, "seconds": 0.0})
        stats["seconds"] += time.time() - t0
        if code == 0:
            stats["ok"] += 1
        else:
            stats["failed"] += 1
            if "locked" in err or "busy" in err:
                stats["locked"] += 1
            first = (err.strip().splitlines() or [f"exit {code}"])[0][:160]
            first = re.sub(r"batch_[0-9a-f]+|dec_[0-9a-z]+|/tmp/\S+", "…", first)
            self.messages[(name, first)] = self.messages.get((name, first), 0) + 1
        return code, err

    def query(self, sql, args=()):
        con = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=10)
        try:
            return con.execute(sql, args).fetchall()
        finally:
            con.close()

    # -- what happens --------------------------------------------------------------------------------
    def write_once(self):
        kind = self.rng.choice(["reclassify", "cancel", "resubmit", "decide", "submit", "second-poller", "read"])
        try:
            if kind == "reclassify":
                self.run(kind, ["reclassify", "--workload", self.rng.choice(WORKLOADS),
                                "--lane", self.rng.choice(["batch", "realtime"]), "--reason", "soak"])
            elif kind == "cancel":
                rows = self.query("SELECT id FROM jobs ORDER BY random() LIMIT 1")
                if rows:
                    self.run(kind, ["cancel", rows[0][0]])
            elif kind == "resubmit":
                rows = self.query("SELECT id FROM jobs WHERE is_terminal = 1 AND status != 'completed' ORDER BY random() LIMIT 1")
                if rows:
                    self.run(kind, ["resubmit", rows[0][0], "--failed-only"])
            elif kind == "decide":
                rows = self.query("SELECT id FROM decisions WHERE state = 'pending' ORDER BY random() LIMIT 1")
                if rows:
                    if self.rng.random() < 0.5:
                        self.run("approve", ["decisions", "approve", rows[0][0], "--comment", "soak"])
                    else:
                        self.run("reject", ["decisions", "reject", rows[0][0], "--comment", "soak"])
            elif kind == "submit":
                self.submitted += 1
                path = os.path.join(self.dir, f"in-{self.submitted}.jsonl")
                with open(path, "w") as f:
                    for i in range(self.rng.randint(1, 40)):
                        f.write(json.dumps({"custom_id": f"s{self.submitted}-{i}", "method": "POST", "url": "/v1/chat/completions",
                                            "body": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": f"soak {i}"}]}}) + "\n")
                self.run(kind, ["submit", path, "--workload", "soak-load", "--lane", "batch"])
            elif kind == "second-poller":
                self.run(kind, ["sync", "--once"])
            else:
                self.run("read", self.rng.choice([["jobs", "--json"], ["queue", "--json"], ["spend", "--json"], ["audit"]]))
        except sqlite3.Error as e:
            self.commands.setdefault("sqlite3-read", {"ok": 0, "failed": 0, "locked": 0, "seconds": 0.0})["failed"] += 1
            print(f"soak: reading the database failed: {e}", file=sys.stderr)

    def fault_once(self):
        choices = [
            ("429", {"kind": "status", "status": 429, "retry_after": self.rng.randint(1, 20), "count": self.rng.randint(1, 3)}),
            ("500", {"kind": "status", "status": 500, "count": self.rng.randint(1, 4)}),
            ("503", {"kind": "status", "status": 503, "count": self.rng.randint(1, 4)}),
            ("latency", {"kind": "latency", "milliseconds": self.rng.randint(200, 3000), "count": self.rng.randint(1, 5)}),
            ("drop", {"kind": "drop", "count": self.rng.randint(1, 3)}),
            ("malformed", {"kind": "malformed", "count": 1}),
            ("lost-create", {"kind": "lost_response", "endpoint": "POST /v1/batches", "count": 1}),
            ("lost-create+list-500", None),
            ("404-once", {"kind": "status", "status": 404, "endpoint": "GET /v1/batches/{id}", "count": 1}),
        ]
        name, rule = self.rng.choice(choices)
        rules = [rule] if rule else [{"kind": "lost_response", "endpoint": "POST /v1/batches", "count": 1},
                                     {"kind": "status", "status": 500, "endpoint": "GET /v1/batches", "count": 3}]
        try:
            self.http("POST", "/_emulator/faults", {"rules": rules})
            self.faults[name] = self.faults.get(name, 0) + 1
        except Exception as e:  # the control API is not under test
            print(f"soak: could not set a fault: {e}", file=sys.stderr)

    def rss_kib(self, pid):
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1])
        except OSError:
            return None
        return None

    def sample(self):
        now = time.time()
        try:
            row = self.query("SELECT last_success_at, consecutive_failures, last_error_text FROM sync_state WHERE id = 1")
        except sqlite3.Error:
            row = []
        last, failures, text = row[0] if row else (None, None, None)
        lag = int(now - last) if last else None
        # The poller stamps provider-less wall time; compare on this machine's clock.
        if lag is not None and now - self.started > 60:
            self.worst_lag = max(self.worst_lag, lag)
        if text and "locked" in text:
            self.locked_failures += 1
        self.samples.append((int(now - self.started), self.rss_kib(self.procs["sync"].pid),
                             self.rss_kib(self.dashboard_pid() or 0), lag, failures))

    def poller_errors(self):
        errors = locked = 0
        try:
            with open(os.path.join(self.dir, "sync.log")) as f:
                for line in f:
                    if "sync failed" in line:
                        errors += 1
                        locked += "locked" in line
        except OSError:
            pass
        return errors, locked

    def settle(self):
        self.http("DELETE", "/_emulator/faults")
        cleared = time.time()
        deadline = cleared + 120
        while time.time() < deadline:
            rows = self.query("SELECT last_success_at FROM sync_state WHERE id = 1")
            if rows and rows[0][0] and rows[0][0] > cleared + 15:
                return True
            time.sleep(2)
        return False

    def verdict(self):
        listed, after = [], None
        while True:
            page = self.http("GET", "/v1/batches?limit=100" + (f"&after={after}" if after else ""), key=PROJECT)
            listed += page["data"]
            if not page.get("has_more") or not page["data"]:
                break
            after = page["data"][-1]["id"]
        stored = dict(self.query("SELECT id, status FROM jobs"))
        lost = [b["id"] for b in listed if b["id"] not in stored]
        terminal = {"completed", "failed", "expired", "cancelled"}
        wrong = [b["id"] for b in listed if b["id"] in stored and b["status"] in terminal and stored[b["id"]] != b["status"]]
        owners = {}
        for b in listed:
            jid = (b.get("metadata") or {}).get("batchtop_job_id")
            if jid:
                owners.setdefault(jid, []).append(b["id"])
        doubled = {k: v for k, v in owners.items() if len(v) > 1}
        verify = subprocess.run([self.bin, "audit", "--verify", "--db", self.db], capture_output=True, text=True, env=self.env())
        counters = self.http("GET", "/_emulator/counters")
        return listed, lost, wrong, doubled, verify, counters

    def main(self):
        self.start_emulator()
        self.write_config()
        self.start_poller()
        time.sleep(3)
        self.start_dashboard()
        end = self.started + self.args.minutes * 60
        next_write = next_fault = next_sample = time.time()
        while time.time() < end:
            now = time.time()
            if self.procs["sync"].poll() is not None:
                print("soak: the resident poller exited", file=sys.stderr)
                break
            if now >= next_write:
                self.write_once()
                next_write = now + self.args.write_every * self.rng.uniform(0.5, 1.5)
            if now >= next_fault:
                self.fault_once()
                next_fault = now + self.args.fault_every * self.rng.uniform(0.5, 1.5)
            if now >= next_sample:
                self.sample()
                next_sample = now + self.args.sample_every
            time.sleep(0.2)
        settled = self.settle()
        self.sample()
        screen = subprocess.run(["tmux", "-L", self.tmux, "capture-pane", "-p", "-t", "soak"], capture_output=True, text=True).stdout
        listed, lost, wrong, doubled, verify, counters = self.verdict()
        self.report(settled, screen, listed, lost, wrong, doubled, verify, counters)
        poller_alive = self.procs["sync"].poll() is None
        ok = (settled and poller_alive and not lost and not wrong and not doubled and verify.returncode == 0
              and self.locked_failures == 0 and self.poller_errors()[1] == 0)
        return 0 if ok else 1

    def report(self, settled, screen, listed, lost, wrong, doubled, verify, counters):
        minutes = (time.time() - self.started) / 60
        print(f"\n# batchtop soak: {minutes:.1f} min at {self.args.speed:g}x, seed {self.args.seed}, scratch {self.dir}")
        print(f"batches at the emulator: {len(listed)}; submissions sent: {self.submitted}")
        print(f"lost (at the emulator, not in the database): {len(lost)} {lost[:5]}")
        print(f"terminal status disagrees: {len(wrong)} {wrong[:5]}")
        print(f"doubled (one batchtop job id, several batches): {len(doubled)} {list(doubled.items())[:3]}")
        print(f"poller caught up after the faults stopped: {'yes' if settled else 'NO'}; worst lag of its last success: {self.worst_lag}s")
        print(f"'database is locked' failures seen in sync_state: {self.locked_failures}")
        print(f"audit --verify: exit {verify.returncode}: {verify.stdout.strip()[:200]} {verify.stderr.strip()[:200]}")
        print("\n## commands (ok / failed / failed on a lock / mean seconds)")
        for name, s in sorted(self.commands.items()):
            n = s["ok"] + s["failed"]
            print(f"  {name:14} {s['ok']:5} {s['failed']:5} {s['locked']:5} {s['seconds'] / max(1, n):7.2f}")
        print("\n## faults injected")
        for name, n in sorted(self.faults.items()):
            print(f"  {name:22} {n}")
        print("\n## API calls at the emulator")
        for endpoint, n in sorted(counters["requests"].items(), key=lambda kv: -kv[1]):
            print(f"  {endpoint:48} {n}")
        print("\n## why commands failed (refusals of a finished job are expected)")
        for (name, first), n in sorted(self.messages.items(), key=lambda kv: -kv[1])[:12]:
            print(f"  {n:4} {name}: {first}")
        errors, locked = self.poller_errors()
        print(f"\npoller error lines (sync failed …): {errors}, of which 'database is locked': {locked}")
        print("\n## memory over time (t s, poller RSS MiB, dashboard RSS MiB, last-success lag s, failures in a row)")
        for t, p, d, lag, fails in self.samples:
            fmt = lambda kib: f"{kib / 1024:6.1f}" if kib else "     -"
            print(f"  {t:6} {fmt(p)} {fmt(d)} {lag if lag is not None else '-':>6} {fails if fails is not None else '-':>4}")
        print("\n## dashboard at the end (first 6 lines)")
        print("\n".join(screen.splitlines()[:6]))


def main():
    args = parse_args()
    soak = Soak(args)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(130))
    try:
        code = soak.main()
    except KeyboardInterrupt:
        code = 130
    finally:
        soak.stop_all()
        if not args.keep and "code" in locals() and code == 0:
            import shutil
            shutil.rmtree(soak.dir, ignore_errors=True)
    sys.exit(code)


if __name__ == "__main__":
    main()
