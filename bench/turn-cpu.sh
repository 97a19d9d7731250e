#!/usr/bin/env bash
# Server CPU per turn: starts the Release server on a fresh data directory, runs the load driver against it with
# --server-pid, prints the driver's report and the load average, and stops the server.
# Usage: bench/turn-cpu.sh [driver options…]   e.g. bench/turn-cpu.sh --new-bot   or   bench/turn-cpu.sh --fake-openai
# Build first: dotnet build src/Parley.Server -c Release && dotnet build bench/Parley.Bench.Load -c Release
# SERVER=path/to/Parley.Server.dll runs another build (a copy of an earlier one, for before/after).
# SERVER_LOG=path keeps the server's output there (the data directory, where it is written, is removed at the end).
set -euo pipefail
port=${PORT:-5099}
data=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; [ -z "${SERVER_LOG:-}" ] || cp "$data/server.log" "$SERVER_LOG"; rm -rf "$data"' EXIT
Parley__DataDirectory=$data Parley__RateLimits__SecretKeyPerMinute=100000000 Parley__Network__AllowPrivateTargets=true \
  dotnet "${SERVER:-src/Parley.Server/bin/Release/net10.0/Parley.Server.dll}" --urls "http://127.0.0.1:$port" >"$data/server.log" 2>&1 &
server=$!
# Ready when it answers (start-up takes longer than usual on a busy machine).
until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && [ -s "$data/admin-key.txt" ]; do sleep 0.5; done; sleep 1
seed=()
case " $* " in *" --history "*|*" --filler "*) seed=(--database "$data/parley.db") ;; esac
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
bench/Parley.Bench.Load/bin/Release/net10.0/Parley.Bench.Load --url "http://127.0.0.1:$port" \
  --key-file "$data/admin-key.txt" --server-pid "$server" "${seed[@]}" "$@"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
