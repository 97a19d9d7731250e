#!/usr/bin/env bash
# Builds Parley and runs every test project: once on SQLite, and the HTTP suite again on a throwaway PostgreSQL
# cluster when PostgreSQL is available (installed from Debian's packages when run as root and missing), all but its
# classes with the trait Storage=independent (a contract, a document, a protocol: nothing the database changes). The browser
# tests drive Debian's Chromium (on a publish of the dashboard, made here), and the cluster tests run three nodes behind Debian's nginx, each installed the same
# way when missing. Some tests use npm packages (axe-core, the openai
# SDK, an OpenAPI response validator): Debian's nodejs and npm are installed the same way, then npm ci in each folder.
# The HTTP suite runs in the background beside the browser suite, its output printed after the browser tests'.
# Prints the built-in answerer's figures on the held-out visitor questions, then ends with one line "N passed, N failed,
# N skipped" summed over every run, and exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")"

results="$(pwd)/TestResults"
rm -rf "$results"
mkdir -p "$results"

say() { printf '\n== %s (at %dm%02ds)\n' "$*" $((SECONDS / 60)) $((SECONDS % 60)); }

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

# What the tests need from Debian: PostgreSQL for the second run and the cluster, aiosmtpd as a real SMTP server for
# email tests, nginx and Redis for the cluster, Node and npm for the tests' npm packages.
missing=()
[ -z "$(pg_bin)" ] && [ "${PARLEY_SKIP_POSTGRES:-}" != "1" ] && missing+=(postgresql)
/usr/bin/python3 -c "import aiosmtpd" >/dev/null 2>&1 || missing+=(python3-aiosmtpd)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    say "Installing from Debian's packages: ${missing[*]}"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Missing ${missing[*]}: install them (apt-get install ${missing[*]}) or run as root."
  fi
fi

if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  say "Installing Chromium from Debian's packages (for the browser tests)"
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

# Some tests use npm packages no one here wrote: axe-core in the browser tests, the official openai SDK, an OpenAPI
# response validator. Each such folder under tests/ has a package.json and package-lock.json.
npm_dirs=$(find tests -name package-lock.json -not -path '*/node_modules/*' -not -path '*/bin/*' -not -path '*/obj/*' -exec dirname {} \; | sort)
if command -v npm >/dev/null; then
  for dir in $npm_dirs; do
    say "Installing the npm packages of $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) || echo "npm ci failed in $dir: the tests that use it will fail."
  done
else
  echo "Missing npm: install it (apt-get install nodejs npm) or run as root; the tests in $npm_dirs will fail."
fi

say "Building"
dotnet build Parley.slnx -c Release -warnaserror --nologo -v quiet || { echo "0 passed, 1 failed"; exit 1; }

run_tests() { # project, label, extra env...; a test filter in $filter when set
  local project=$1 label=$2
  shift 2
  say "Testing $project ($label)"
  env "$@" dotnet test "tests/$project" -c Release --no-build --nologo ${filter:+--filter "$filter"} \
    --logger "trx;LogFileName=$project.$label.trx" --results-directory "$results"
}

status=0
run_tests Parley.Engine.Tests sqlite || status=1

# The browser tests load the dashboard as a deployment ships it: published, so trimmed (54 files instead of the build's
# 216), which starts seconds sooner in each test's fresh browser context and catches what trimming breaks.
dashboard_publish="$results/dashboard-publish"
say "Publishing the dashboard for the browser tests"
if ! dotnet publish src/Parley.Dashboard -c Release --nologo -v quiet -o "$dashboard_publish" >"$results/dashboard-publish.log" 2>&1; then
  cat "$results/dashboard-publish.log"
  echo "The dashboard did not publish: the browser tests use the build's files."
  dashboard_publish=""
  status=1
fi

pgdir=""
postgres=""
stop_postgres() {
  if [ -n "$pgdir" ]; then
    as_postgres "$(pg_bin)/pg_ctl" -D "$pgdir" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$pgdir"
  fi
}
as_postgres() { if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
trap stop_postgres EXIT

if [ -n "$(pg_bin)" ] && [ "${PARLEY_SKIP_POSTGRES:-}" != "1" ]; then
  port=$(( 55000 + RANDOM % 1000 ))
  pgdir=$(mktemp -d /tmp/parley-pg.XXXXXX)
  [ "$(id -u)" = "0" ] && chown postgres "$pgdir"
  say "Starting a throwaway PostgreSQL on 127.0.0.1:$port"
  if as_postgres "$(pg_bin)/initdb" -A trust -U postgres -E UTF8 -D "$pgdir" >/dev/null \
     && as_postgres "$(pg_bin)/pg_ctl" -D "$pgdir" -o "-p $port -k $pgdir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" \
          -l "$pgdir/server.log" -w start >/dev/null; then
    postgres="Host=127.0.0.1;Port=$port;Username=postgres"
  else
    echo "PostgreSQL did not start:"; cat "$pgdir/server.log" 2>/dev/null
    status=1
  fi
else
  say "PostgreSQL is not installed: the PostgreSQL run is skipped"
fi

# The HTTP suite (on SQLite, then on PostgreSQL) runs beside the browser suite: the browser tests run one at a time
# and mostly wait on Chromium, so side by side they use the cores the other leaves idle. The HTTP suite's output is
# kept in a log and printed when both are done, so the two do not interleave.
server_log="$results/server-tests.log"
(
  rc=0
  run_tests Parley.Server.Tests sqlite || rc=1
  if [ -n "$postgres" ]; then
    # Classes whose subject does not depend on the database (contracts, documents, protocols) ran on SQLite already.
    filter="Storage!=independent" run_tests Parley.Server.Tests postgres PARLEY_TEST_POSTGRES="$postgres" || rc=1
  fi
  exit $rc
) >"$server_log" 2>&1 &
server_tests=$!
say "Testing Parley.Server.Tests in the background (its output follows the browser tests)"
run_tests Parley.Browser.Tests sqlite PARLEY_TEST_DASHBOARD_PUBLISH="$dashboard_publish" || status=1
wait "$server_tests" || status=1
cat "$server_log"

# Three nodes behind nginx, started by scripts/cluster.sh with a PostgreSQL of their own.
if [ -n "$(pg_bin)" ] && [ -x /usr/sbin/nginx ] && [ "${PARLEY_SKIP_POSTGRES:-}" != "1" ]; then
  run_tests Parley.Cluster.Tests cluster || status=1
else
  say "PostgreSQL or nginx is not installed: the cluster tests are skipped"
fi

# The built-in answerer's figures on the held-out visitor questions (docs/knowledge.md), from the HTTP suite's results.
trx="$results/Parley.Server.Tests.sqlite.trx"
if [ -f "$trx" ] && grep -q '^Visitor evaluation, held-out set' "$trx"; then
  echo
  sed -n '/^Visitor evaluation, held-out set/,/turn time/p' "$trx" | sed 's#</StdOut>##'
fi

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  value() { printf '%s' "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  passed=$(( passed + $(value passed) ))
  failed=$(( failed + $(value failed) + $(value error) + $(value timeout) + $(value aborted) ))
  skipped=$(( skipped + $(value notExecuted) ))
done
[ "$passed" -eq 0 ] && status=1

echo
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
