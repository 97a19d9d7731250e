#!/usr/bin/env bash
# A throwaway Parley cluster on this machine: PostgreSQL, N Parley nodes and nginx in front of them, all on loopback
# ports, all under one state folder. For trying "add a node" and "a node dies" by hand, and for the cluster tests.
#
#   scripts/cluster.sh up [N]     build if needed, start PostgreSQL, N nodes (default 3) and nginx; print the URL and key
#   scripts/cluster.sh kill K     kill -9 node K (no draining: a crash)
#   scripts/cluster.sh stop K     stop node K the polite way (SIGTERM: it drains, finishes its requests, hands back its
#                                 work) and wait until it has exited
#   scripts/cluster.sh start K    start node K again
#   scripts/cluster.sh kill redis     kill -9 Redis;  scripts/cluster.sh start redis     starts it again (empty)
#   scripts/cluster.sh stop postgres  stop PostgreSQL (fast shutdown); scripts/cluster.sh start postgres  starts it again
#   scripts/cluster.sh status     which processes run
#   scripts/cluster.sh down       stop everything that `up` started and delete the state folder
#
# Settings (environment): PARLEY_CLUSTER_DIR (state folder, default .cluster), PARLEY_CLUSTER_PORT (nginx's port,
# default 8080; node K listens on PORT+K, PostgreSQL on PORT+50, Redis on PORT+51), PARLEY_CLUSTER_REDIS=0 to run
# without Redis (the nodes then talk over PostgreSQL), PARLEY_CLUSTER_DRAIN_DELAY (how long a stopping node serves on,
# default 00:00:01). Needs Debian's postgresql and nginx packages, and redis-server.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
dir=${PARLEY_CLUSTER_DIR:-$root/.cluster}
port=${PARLEY_CLUSTER_PORT:-8080}
pg_port=$((port + 50))
redis_port=$((port + 51))
server_dll="$root/src/Parley.Server/bin/Release/net10.0/Parley.Server.dll"

say() { printf '%s\n' "$*" >&2; }
die() { say "cluster: $*"; exit 1; }

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
# PostgreSQL refuses to run as root: as root, its commands run as the postgres user.
as_postgres() { if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

node_port() { echo $((port + $1)); }
node_pid() { cat "$dir/node$1/pid" 2>/dev/null || true; }
# A killed node whose parent is gone may linger as a zombie until it is reaped: that is not running. Nor is a thread of
# another process that was given the number since (a process and its threads share one series of ids).
running() {
  [ -n "$1" ] || return 1
  local state
  state=$(awk -v pid="$1" '/^Tgid:/ { tgid = $2 } /^State:/ { state = $2 } END { if (tgid == pid) print state }' "/proc/$1/status" 2>/dev/null)
  [ -n "$state" ] && [ "$state" != "Z" ]
}

ready() { curl -fsS -o /dev/null "$1/readyz" 2>/dev/null; } # url

wait_ready() { # url, seconds
  local deadline=$((SECONDS + $2))
  until ready "$1"; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.2
  done
}

start_node() {
  local k=$1 node_dir="$dir/node$1"
  mkdir -p "$node_dir"
  local pid deadline=$((SECONDS + 60))
  pid=$(node_pid "$k")
  # A node still starting becomes ready; one stopping (`stop K` in another shell) drains and exits, and then starts anew.
  while running "$pid"; do
    if ready "http://127.0.0.1:$(node_port "$k")"; then
      say "node $k already runs"
      return
    fi
    [ $SECONDS -lt $deadline ] || die "node $k runs but is neither ready nor stopping"
    sleep 0.2
  done
  (
    cd "$node_dir"
    export ASPNETCORE_ENVIRONMENT=Production
    export ASPNETCORE_FORWARDEDHEADERS_ENABLED=true
    export URLS="http://127.0.0.1:$(node_port "$k")"
    export Parley__DataDirectory="$node_dir/data"
    # Export archives in one folder for every node, as a shared mount gives them for real: any node serves any archive.
    export Parley__Exports__Folder="$dir/exports"
    export Parley__Database__Provider=postgres
    export ConnectionStrings__Parley="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=parley"
    export Parley__Bootstrap__ApiKey="$(cat "$dir/owner-key")"
    export Parley__Bootstrap__DemoOrigins__0="http://127.0.0.1:$port"
    export Parley__Accounts__PublicUrl="http://127.0.0.1:$port"
    # The loopback nodes, PostgreSQL and test receivers are private addresses: allowed in this throwaway cluster.
    export Parley__Network__AllowPrivateTargets=true
    # nginx does not poll /readyz: one second of answers with "Connection: close" is enough to empty its pool of
    # connections to a stopping node, which it then finds refusing new ones and passes over.
    export Parley__Shutdown__DrainDelay=${PARLEY_CLUSTER_DRAIN_DELAY:-00:00:01}
    # A killed node's webhook deliveries are taken over when their lease lapses: 15 seconds here rather than two
    # minutes, so that watching a node die does not mean waiting minutes for the deliveries it was sending.
    export Parley__Webhooks__Lease=${PARLEY_CLUSTER_WEBHOOK_LEASE:-00:00:15}
    [ -f "$dir/redis/port" ] && export ConnectionStrings__Redis="127.0.0.1:$(cat "$dir/redis/port")"
    exec setsid dotnet "$server_dll" >"$node_dir/log" 2>&1 </dev/null
  ) &
  echo $! >"$node_dir/pid"
  wait_ready "http://127.0.0.1:$(node_port "$k")" 60 || { tail -n 30 "$node_dir/log" >&2; die "node $k did not become ready"; }
  say "node $k ready on http://127.0.0.1:$(node_port "$k") (pid $(node_pid "$k"))"
}

# A killed node is not gone at once: the kernel takes a moment to tear down its threads and memory, and it closes the
# node's sockets before the end. Waiting until it is gone keeps a `start` right after from finding it still there.
kill_node() {
  local k=$1 pid
  pid=$(node_pid "$k")
  running "$pid" || die "node $k does not run"
  kill -9 "$pid" 2>/dev/null || true # it may have ended by itself meanwhile
  for _ in $(seq 1 100); do running "$pid" || break; sleep 0.1; done
  running "$pid" && die "node $k still runs 10 s after SIGKILL"
  say "node $k killed"
}

stop_node() { # SIGTERM, then wait for the node to exit (its drain delay and shutdown timeout bound that)
  local k=$1 pid started=$SECONDS
  pid=$(node_pid "$k")
  running "$pid" || die "node $k does not run"
  kill -TERM "$pid"
  for _ in $(seq 1 300); do running "$pid" || break; sleep 0.2; done
  running "$pid" && die "node $k still runs $((SECONDS - started)) s after SIGTERM"
  echo "node $k stopped after $((SECONDS - started)) s"
}

start_postgres() {
  say "Starting PostgreSQL on 127.0.0.1:$pg_port"
  as_postgres "$(pg_bin)/pg_ctl" -D "$dir/postgres" -l "$dir/postgres/server.log" -w start \
    -o "-p $pg_port -k $dir/postgres -c listen_addresses=127.0.0.1 -c max_connections=300" >/dev/null
}

# A fast shutdown, as an administrator restarting PostgreSQL does: open transactions are rolled back, clients cut off.
stop_postgres() {
  as_postgres "$(pg_bin)/pg_ctl" -D "$dir/postgres" -m fast -w stop >/dev/null
  say "PostgreSQL stopped"
}

start_redis() {
  [ -f "$dir/redis/port" ] || die "this cluster runs without Redis"
  say "Starting Redis on 127.0.0.1:$redis_port"
  redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$dir/redis" --save "" --appendonly no \
    --daemonize yes --pidfile "$dir/redis/redis.pid" --logfile "$dir/redis/redis.log"
  for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$redis_port") 2>/dev/null && return; sleep 0.1; done
  die "Redis did not start"
}

kill_redis() {
  local pid
  pid=$(cat "$dir/redis/redis.pid" 2>/dev/null) || die "Redis does not run"
  kill -9 "$pid"
  for _ in $(seq 1 50); do running "$pid" || break; sleep 0.1; done
  rm -f "$dir/redis/redis.pid"
  say "Redis killed"
}

write_nginx_conf() { # nodes
  mkdir -p "$dir/nginx/temp"
  cp deploy/nginx/parley-proxy.params "$dir/nginx/"
  {
    echo "worker_processes 1;"
    echo "pid $dir/nginx/nginx.pid;"
    echo "error_log $dir/nginx/error.log warn;"
    echo "events { worker_connections 1024; }"
    echo "http {"
    echo "  access_log $dir/nginx/access.log;"
    for temp in client_body proxy fastcgi uwsgi scgi; do echo "  ${temp}_temp_path $dir/nginx/temp/$temp;"; done
    echo "  upstream parley {"
    for k in $(seq 1 "$1"); do echo "    server 127.0.0.1:$(node_port "$k") max_fails=1 fail_timeout=2s;"; done
    echo "    keepalive 64;"
    echo "  }"
    echo "  server {"
    echo "    listen 127.0.0.1:$port;"
    echo "    client_max_body_size 50m;"
    echo "    location / {"
    echo "      proxy_pass http://parley;"
    echo "      include parley-proxy.params;"
    echo "    }"
    echo "  }"
    echo "}"
  } >"$dir/nginx/nginx.conf"
}

up() {
  local nodes=${1:-3}
  [ -e "$dir/nodes" ] && die "a cluster already runs in $dir: scripts/cluster.sh down first"
  [ -n "$(pg_bin)" ] || die "PostgreSQL is not installed (apt-get install postgresql)"
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || die "nginx is not installed (apt-get install nginx)"
  if [ ! -f "$server_dll" ]; then
    say "Building the server (Release)"
    dotnet build src/Parley.Server -c Release --nologo -v quiet >&2
  fi
  mkdir -p "$dir"
  echo "$nodes" >"$dir/nodes"
  echo "sk_cluster$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24)" >"$dir/owner-key"
  chmod 600 "$dir/owner-key"

  mkdir -p "$dir/postgres"
  [ "$(id -u)" = "0" ] && chown postgres "$dir/postgres"
  as_postgres "$(pg_bin)/initdb" -A trust -U postgres -E UTF8 -D "$dir/postgres" >/dev/null
  start_postgres
  as_postgres "$(pg_bin)/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres parley

  if [ "${PARLEY_CLUSTER_REDIS:-1}" != "0" ] && command -v redis-server >/dev/null; then
    mkdir -p "$dir/redis"
    echo "$redis_port" >"$dir/redis/port"
    start_redis
  else
    say "Without Redis: the nodes tell each other about changes through PostgreSQL"
  fi

  # The first node creates the schema and seeds the workspace; the others start beside it once it is ready.
  start_node 1
  for k in $(seq 2 "$nodes"); do start_node "$k"; done

  write_nginx_conf "$nodes"
  /usr/sbin/nginx -p "$dir/nginx" -c "$dir/nginx/nginx.conf"
  wait_ready "http://127.0.0.1:$port" 10 || die "nginx does not answer on $port"
  echo "http://127.0.0.1:$port" >"$dir/url"
  say ""
  say "Parley runs on $nodes nodes behind nginx: http://127.0.0.1:$port"
  say "Owner key: $(cat "$dir/owner-key")"
  say "Kill a node with: scripts/cluster.sh kill 2    Stop everything with: scripts/cluster.sh down"
}

down() {
  [ -d "$dir" ] || { say "no cluster in $dir"; return; }
  [ -f "$dir/nginx/nginx.pid" ] && kill "$(cat "$dir/nginx/nginx.pid")" 2>/dev/null || true
  for pidfile in "$dir"/node*/pid; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  for pidfile in "$dir"/node*/pid; do
    [ -f "$pidfile" ] || continue
    local pid
    pid=$(cat "$pidfile")
    for _ in $(seq 1 50); do running "$pid" || break; sleep 0.2; done
    running "$pid" && kill -9 "$pid" 2>/dev/null || true
  done
  [ -f "$dir/redis/redis.pid" ] && kill "$(cat "$dir/redis/redis.pid")" 2>/dev/null || true
  [ -f "$dir/postgres/postmaster.pid" ] && as_postgres "$(pg_bin)/pg_ctl" -D "$dir/postgres" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  say "cluster stopped and removed"
}

status() {
  [ -f "$dir/nodes" ] || { say "no cluster in $dir"; return; }
  for k in $(seq 1 "$(cat "$dir/nodes")"); do
    if running "$(node_pid "$k")"; then echo "node $k: running on port $(node_port "$k")"; else echo "node $k: stopped"; fi
  done
  if running "$(cat "$dir/nginx/nginx.pid" 2>/dev/null)"; then echo "nginx: running on port $port"; else echo "nginx: stopped"; fi
  if [ -f "$dir/redis/port" ]; then
    if running "$(cat "$dir/redis/redis.pid" 2>/dev/null)"; then echo "redis: running on port $redis_port"; else echo "redis: stopped"; fi
  fi
}

case "${1:-}" in
  up) up "${2:-3}" ;;
  down) down ;;
  kill)
    case "${2:?node number or redis}" in
      redis) kill_redis ;;
      *) kill_node "$2" ;;
    esac ;;
  stop)
    case "${2:?node number or postgres}" in
      postgres) stop_postgres ;;
      *) stop_node "$2" ;;
    esac ;;
  start)
    case "${2:?node number, redis or postgres}" in
      redis) start_redis ;;
      postgres) start_postgres ;;
      *) start_node "$2" ;;
    esac ;;
  status) status ;;
  *) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
