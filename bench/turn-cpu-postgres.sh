#!/usr/bin/env bash
# Server CPU per turn on PostgreSQL: starts a throwaway PostgreSQL cluster from Debian's packages (durable defaults:
# fsync and synchronous_commit on), runs bench/turn-cpu.sh against a server on it, and adds PostgreSQL's own CPU per
# turn over the measured window (all its processes' user + system time, read from /proc a second inside each end of
# the window, divided by the window's turns).
# Usage: bench/turn-cpu-postgres.sh [driver options…]   e.g. bench/turn-cpu-postgres.sh --new-bot --warmup 20 --duration 15
# POSTGRES_OPTIONS adds server settings, e.g. POSTGRES_OPTIONS="-c synchronous_commit=off".
# CONNECTION_OPTIONS adds to the node's connection string, e.g. CONNECTION_OPTIONS="Max Auto Prepare=20".
# Build first, as for bench/turn-cpu.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$pg_bin" ] || { echo "PostgreSQL is not installed: apt-get install postgresql"; exit 1; }
as_postgres() { if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

warmup=30; duration=20
args=("$@")
for ((i = 0; i < ${#args[@]} - 1; i++)); do
  case "${args[i]}" in
    --warmup) warmup=${args[i + 1]} ;;
    --duration) duration=${args[i + 1]} ;;
  esac
done

port=$(( 56000 + RANDOM % 1000 ))
pgdir=$(mktemp -d /tmp/parley-bench-pg.XXXXXX)
[ "$(id -u)" = "0" ] && chown postgres "$pgdir"
trap 'as_postgres "$pg_bin/pg_ctl" -D "$pgdir" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$pgdir"' EXIT
as_postgres "$pg_bin/initdb" -A trust -U postgres -E UTF8 -D "$pgdir" >/dev/null
as_postgres "$pg_bin/pg_ctl" -D "$pgdir" -o "-p $port -k $pgdir -c listen_addresses=127.0.0.1 -c max_connections=200 ${POSTGRES_OPTIONS:-}" \
  -l "$pgdir/server.log" -w start >/dev/null

# User + system clock ticks of this cluster's processes (the postmaster and its children), and of those that exited.
postgres_ticks() {
  local total=0 pid postmaster
  postmaster=$(head -n 1 "$pgdir/postmaster.pid")
  for pid in "$postmaster" $(pgrep -P "$postmaster" || true); do
    [ -r "/proc/$pid/stat" ] || continue
    # Fields after the command name: utime is the 12th, stime 13th, cutime 14th, cstime 15th.
    total=$(( total + $(sed 's/^.*) //' "/proc/$pid/stat" | awk '{print $12 + $13 + $14 + $15}') ))
  done
  echo "$total"
}

out=$(mktemp)
Parley__Database__Provider=postgres ConnectionStrings__Parley="Host=127.0.0.1;Port=$port;Username=postgres;Database=parley${CONNECTION_OPTIONS:+;$CONNECTION_OPTIONS}" \
  bench/turn-cpu.sh "$@" | tee "$out" &
bench=$!
# The driver starts its warm-up about a second after the server answers; the window is placed from there.
until grep -q '^load before' "$out" 2>/dev/null; do sleep 0.2; done
sleep "$(echo "$warmup + 1" | bc)"
first=$(postgres_ticks)
sleep "$(echo "$duration - 2" | bc)"
second=$(postgres_ticks)
wait "$bench"
# The window's turns, scaled to the part of it between the two readings.
turns=$(grep -o '"turns":[0-9]*' "$out" | head -n 1 | cut -d: -f2)
echo "postgres_cpu_ms_per_turn: $(echo "scale=3; ($second - $first) * 1000 / $(getconf CLK_TCK) / ($turns * ($duration - 2) / $duration)" | bc)"
rm -f "$out"
