#!/usr/bin/env bash
# Several nodes behind nginx, measured: for each node count, a fresh cluster (scripts/cluster.sh) takes the closed-loop
# turn load (Parley.Bench.Load) and then the webhook benchmark (Parley.Bench.Webhooks), while this script reads
# PostgreSQL's counters (pg_stat_database, the WAL position) and every process's CPU time (/proc) at the start and end
# of the load's measured window. Prints one JSON line per run; bench/README.md has the figures and how to read them.
# Usage: bench/cluster-figures.sh [node counts, default "1 2 3"] [rounds, default 1]
# Build first: dotnet build src/Parley.Server -c Release && dotnet build bench/Parley.Bench.Load -c Release \
#   && dotnet build bench/Parley.Bench.Webhooks -c Release
set -euo pipefail
cd "$(dirname "$0")/.."
counts=${1:-1 2 3}
rounds=${2:-1}
warmup=${WARMUP:-20}
duration=${DURATION:-15}
port=${PARLEY_CLUSTER_PORT:-18080}
export PARLEY_CLUSTER_PORT=$port
if [ -z "${PARLEY_CLUSTER_DIR:-}" ]; then
  PARLEY_CLUSTER_DIR=$(mktemp -d)/cluster
  chmod 755 "$(dirname "$PARLEY_CLUSTER_DIR")" # PostgreSQL runs as its own user and must reach its folder
fi
export PARLEY_CLUSTER_DIR
export Parley__RateLimits__SecretKeyPerMinute=100000000
pg_port=$((port + 50))
psql_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/psql
trap 'scripts/cluster.sh down >/dev/null 2>&1 || true' EXIT

pg() { "$psql_bin" -h 127.0.0.1 -p "$pg_port" -U postgres -d parley -Atc "$1"; }

# commits, rollbacks, rows inserted, rows updated, WAL bytes so far, the database's size on disk
pg_counters() {
  pg "SELECT xact_commit, xact_rollback, tup_inserted, tup_updated, pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint,
      pg_database_size('parley') FROM pg_stat_database WHERE datname = 'parley'" | tr '|' ' '
}

ticks() { # CPU clock ticks (user + system) of the given pids, children that exited included
  local total=0 pid
  for pid in "$@"; do
    [ -r "/proc/$pid/stat" ] || continue
    total=$((total + $(sed 's/^.*) //' "/proc/$pid/stat" | awk '{print $12 + $13 + $14 + $15}')))
  done
  echo "$total"
}

cpu_groups() { # nodes postgres nginx redis (the driver reports its own)
  local nodes=() k
  for k in $(seq 1 "$1"); do nodes+=("$(cat "$PARLEY_CLUSTER_DIR/node$k/pid")"); done
  echo "$(ticks "${nodes[@]}") $(ticks $(pgrep -x postgres || true)) $(ticks $(pgrep -x nginx || true)) $(ticks $(pgrep -x redis-server || true))"
}

for round in $(seq 1 "$rounds"); do
  for n in $counts; do
    scripts/cluster.sh up "$n" >/dev/null 2>&1
    url=$(cat "$PARLEY_CLUSTER_DIR/url")
    load_before=$(cut -d' ' -f1 /proc/loadavg)
    out=$(mktemp)
    bench/Parley.Bench.Load/bin/Release/net10.0/Parley.Bench.Load --url "$url" --key-file "$PARLEY_CLUSTER_DIR/owner-key" \
      --concurrency 32 --duration "$duration" --warmup "$warmup" >"$out" 2>&1 &
    driver=$!
    # Inside the driver's measured window, a second from each end.
    sleep "$((warmup + 1))"
    read -r c0 r0 i0 u0 w0 s0 <<<"$(pg_counters)"
    read -r n0 p0 x0 d0 <<<"$(cpu_groups "$n")"
    t0=$(date +%s.%N)
    sleep "$((duration - 2))"
    read -r c1 r1 i1 u1 w1 s1 <<<"$(pg_counters)"
    read -r n1 p1 x1 d1 <<<"$(cpu_groups "$n")"
    t1=$(date +%s.%N)
    wait "$driver"
    load=$(grep '^{' "$out" | tail -n 1)
    hooks=$(dotnet bench/Parley.Bench.Webhooks/bin/Release/net10.0/Parley.Bench.Webhooks.dll --url "$url" \
      --key-file "$PARLEY_CLUSTER_DIR/owner-key" --conversations 1000 --concurrency 2 2>&1 | grep '^{' | tail -n 1)
    scripts/cluster.sh down >/dev/null 2>&1
    python3 - "$n" "$round" "$t0" "$t1" "$load_before" "$load" "$hooks" \
      "$c0 $r0 $i0 $u0 $w0 $s0" "$c1 $r1 $i1 $u1 $w1 $s1" "$n0 $p0 $x0 $d0" "$n1 $p1 $x1 $d1" <<'PY'
import json, sys
n, rnd, t0, t1, load_before, load, hooks, pg0, pg1, cpu0, cpu1 = sys.argv[1:]
seconds = float(t1) - float(t0)
pg = [int(b) - int(a) for a, b in zip(pg0.split(), pg1.split())]
cpu = [(int(b) - int(a)) / 100 / seconds for a, b in zip(cpu0.split(), cpu1.split())]
load = json.loads(load)
cpu.append(load["driver_cpu_cores"])
turns = load["turns_per_s"]
print(json.dumps({
    "nodes": int(n), "round": int(rnd), "load_average_before": float(load_before),
    "turns_per_s": turns, "p50_ms": load["latency_ms"]["p50"], "p99_ms": load["latency_ms"]["p99"], "errors": load["errors"],
    "stage_median_ms": load["stage_median_ms"],
    "pg_commits_per_s": round(pg[0] / seconds), "pg_rollbacks_per_s": round(pg[1] / seconds, 1),
    "pg_commits_per_turn": round(pg[0] / seconds / turns, 2),
    "rows_inserted_per_turn": round(pg[2] / seconds / turns, 1), "rows_updated_per_turn": round(pg[3] / seconds / turns, 1),
    "wal_kb_per_turn": round(pg[4] / 1024 / seconds / turns, 1),
    "disk_kb_per_turn": round(pg[5] / 1024 / seconds / turns, 1),
    "cores": {k: round(v, 2) for k, v in zip(["nodes", "postgres", "nginx", "redis", "driver"], cpu)},
    "cpu_ms_per_turn": {k: round(v * 1000 / turns, 2) for k, v in zip(["nodes", "postgres", "nginx", "redis", "driver"], cpu)},
    "webhooks": json.loads(hooks) if hooks else None,
}))
PY
    rm -f "$out"
  done
done
