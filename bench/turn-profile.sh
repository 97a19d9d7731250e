#!/usr/bin/env bash
# Where the server's CPU goes under the turn load, from the kernel's sampler (perf): it samples only threads that are
# on a CPU, so waiting threads do not show, unlike the runtime's sampled thread time. Runs bench/turn-cpu.sh, records
# the server for PROFILE_SECONDS (10) once the driver's warm-up is over, and prints the shares of the samples: by
# library, by thread, the system calls, the managed frames where the samples land, and the inclusive share of the
# turn's main frames.
# Usage: bench/turn-profile.sh [driver options…]   e.g. bench/turn-profile.sh --new-bot --warmup 60 --duration 20
# Needs perf (Debian: linux-perf), python3, and root or kernel.perf_event_paranoid <= 1. The server runs with its perf
# map on and without W^X double mapping, so that perf can name the JIT's code; PROFILE=path keeps the recording.
set -euo pipefail
port=${PORT:-5099}
out=${PROFILE:-$(mktemp --suffix=.perf)}
warmup=20
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do [ "${args[$i]}" = --warmup ] && warmup=${args[$((i + 1))]}; done
export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
PORT=$port bench/turn-cpu.sh "$@" >"$out.load" 2>&1 &
load=$!
until pgrep -f "Parley.Bench.Load.*127.0.0.1:$port" >/dev/null; do
  kill -0 "$load" 2>/dev/null || { cat "$out.load"; exit 1; }
  sleep 0.2
done
server=$(pgrep -f "Parley.Server.dll --urls http://127.0.0.1:$port")
sleep $((warmup + 2))
perf record -q -e cpu-clock -F 499 -g -p "$server" -o "$out" -- sleep "${PROFILE_SECONDS:-10}" 2>/dev/null
wait "$load"
grep -vE '^\{' "$out.load"
perf script -i "$out" -F comm,tid,ip,sym,dso 2>/dev/null | python3 -c '
import re, sys, collections
samples, frames, thread = [], None, None
for line in sys.stdin:
    if line and not line[0].isspace():
        if frames is not None:
            samples.append((thread, frames))
        thread, frames = re.sub(r"\s+\d+\s*$", "", line.strip()), []
        continue
    m = re.match(r"[0-9a-f]+ (.*) \((.*)\)$", line.strip())
    if m and frames is not None:
        frames.append((m.group(1), m.group(2)))
if frames:
    samples.append((thread, frames))
samples = [s for s in samples if s[1]]
n = len(samples)

def library(dso):
    if "[JIT]" in dso or "perf-" in dso:
        return "managed code"
    for key, name in (("kernel", "kernel"), ("coreclr", "runtime (libcoreclr)"), ("sqlite", "SQLite"), ("libc.so", "libc"),
                      ("crypto", "OpenSSL"), ("clrjit", "JIT compiler")):
        if key in dso:
            return name
    return "other"

def method(symbol):
    m = re.search(r"\] ([^:\s]+)::([^(]+)\(", symbol)
    return m.group(1).split(".")[-1] + "::" + m.group(2) if m else symbol[:80]

def table(title, counts, top):
    print(f"\n{title}")
    for key, count in counts.most_common(top):
        print(f"  {100 * count / n:5.1f} %  {key}")

print(f"\n{n} samples")
table("by library (where the sample landed)", collections.Counter(library(f[0][1]) for _, f in samples), 10)
table("by thread", collections.Counter(t for t, _ in samples), 6)
table("system calls (kernel samples, by entry point)", collections.Counter(
    next((x[0] for x in f if re.match(r"__x64_sys_|__do_sys_|ksys_", x[0])), "(no system call: faults, interrupts, scheduling)")
    for _, f in samples if library(f[0][1]) == "kernel"), 12)
table("managed frames where samples land", collections.Counter(method(f[0][0]) for _, f in samples if library(f[0][1]) == "managed code"), 20)
frames = ["SqliteWriteGate", "SaveChangesAsync", "ChangeDetector", "CaptureStage", "ResolveService", "System.Text.Json",
          "Monitor|AwareLock|futex", "UsageMeter", "OutboxInterceptor", "IdempotencyScope", "RandomNumberGenerator"]
print("\ninclusive share of samples whose stack holds (stacks break at await, so read these as lower bounds)")
for pattern in frames:
    count = sum(1 for _, f in samples if any(re.search(pattern, x[0]) for x in f))
    print(f"  {100 * count / n:5.1f} %  {pattern}")
'
echo "recording: $out"
