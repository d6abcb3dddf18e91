#!/usr/bin/env bash
# The database servers the source tests use, on loopback only:
#   scripts/test-servers.sh start DIR   PostgreSQL (one server) and ClickHouse (two shards, cluster
#                                       `two_shards`), data and logs under DIR; writes DIR/env with
#                                       the URLs the tests read (MM_TEST_POSTGRES_URL,
#                                       MM_TEST_CLICKHOUSE_URL, MM_TEST_CLICKHOUSE_SHARDS) and the PIDs
#   scripts/test-servers.sh stop DIR    stops the servers started in DIR, by their PIDs
# Ports (override by environment): MM_PG_PORT 55432; ClickHouse HTTP MM_CH_HTTP1 18113 and
# MM_CH_HTTP2 18123, native MM_CH_TCP1 19110 and MM_CH_TCP2 19120.
# As root, PostgreSQL runs as the `postgres` user (initdb refuses root) on a mode-700 directory.
# A server whose binaries are missing is skipped with a note (the tests then say they skip).
set -u
cmd=${1:-}; dir=${2:-}
if [ -z "$cmd" ] || [ -z "$dir" ]; then echo "usage: $0 start|stop DIR" >&2; exit 2; fi
PG_PORT=${MM_PG_PORT:-55432}
CH_HTTP=(${MM_CH_HTTP1:-18113} ${MM_CH_HTTP2:-18123})
CH_TCP=(${MM_CH_TCP1:-19110} ${MM_CH_TCP2:-19120})
PG_PASSWORD=mm-test-secret

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start_postgres() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then echo "PostgreSQL is not installed: its tests will skip" >&2; return 0; fi
  local data="$dir/pg" sock="$dir/pgsock"
  if [ "$(id -u)" = 0 ]; then
    # The postgres user must reach its folders: DIR (e.g. from mktemp -d) may be mode 700.
    chmod a+x "$dir"
    install -d -o postgres -g postgres -m 700 "$data" "$sock"
  else
    install -d -m 700 "$data" "$sock"
  fi
  as_pg "$bin/initdb" -D "$data" -U postgres --auth-local=trust --auth-host=scram-sha-256 >"$dir/pg-initdb.log" 2>&1 \
    || { echo "initdb failed (see $dir/pg-initdb.log)" >&2; return 1; }
  as_pg "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 30 \
    -o "-p $PG_PORT -k $sock -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null \
    || { echo "PostgreSQL did not start (see $data/server.log)" >&2; return 1; }
  as_pg "$bin/psql" -q -h "$sock" -p "$PG_PORT" -U postgres -d postgres \
    -c "CREATE ROLE mm LOGIN PASSWORD '$PG_PASSWORD'" -c "CREATE DATABASE mm OWNER mm" >/dev/null || return 1
  echo "export MM_PG_PID=$(head -1 "$data/postmaster.pid")" >>"$dir/env"
  echo "export MM_TEST_POSTGRES_URL=postgresql://mm:$PG_PASSWORD@127.0.0.1:$PG_PORT/mm" >>"$dir/env"
}

clickhouse_config() {
  local i=$1 s="$dir/ch/s$1"
  mkdir -p "$s/data" "$s/tmp" "$s/user_files" "$s/log"
  cat >"$s/config.xml" <<X
<?xml version="1.0"?><yandex>
 <logger><level>warning</level><log>$s/log/server.log</log><errorlog>$s/log/err.log</errorlog><size>100M</size><count>2</count></logger>
 <http_port>${CH_HTTP[$i]}</http_port><tcp_port>${CH_TCP[$i]}</tcp_port><listen_host>127.0.0.1</listen_host>
 <max_connections>64</max_connections><max_concurrent_queries>16</max_concurrent_queries>
 <uncompressed_cache_size>268435456</uncompressed_cache_size><mark_cache_size>268435456</mark_cache_size>
 <path>$s/data/</path><tmp_path>$s/tmp/</tmp_path><user_files_path>$s/user_files/</user_files_path>
 <users_config>$dir/ch/users.xml</users_config><default_profile>default</default_profile><default_database>default</default_database>
 <remote_servers><two_shards>
  <shard><replica><host>127.0.0.1</host><port>${CH_TCP[0]}</port></replica></shard>
  <shard><replica><host>127.0.0.1</host><port>${CH_TCP[1]}</port></replica></shard>
 </two_shards></remote_servers>
</yandex>
X
}

start_clickhouse() {
  if ! command -v clickhouse-server >/dev/null 2>&1 && [ ! -x /usr/sbin/clickhouse-server ]; then
    echo "ClickHouse is not installed: its tests will skip" >&2; return 0
  fi
  local server
  server=$(command -v clickhouse-server || echo /usr/sbin/clickhouse-server)
  mkdir -p "$dir/ch"
  cat >"$dir/ch/users.xml" <<'X'
<?xml version="1.0"?><yandex>
 <profiles><default><max_memory_usage>4000000000</max_memory_usage></default></profiles>
 <users><default><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota></default></users>
 <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
X
  local i pids=()
  for i in 0 1; do
    clickhouse_config $i
    "$server" --config-file="$dir/ch/s$i/config.xml" >"$dir/ch/s$i/log/stdout.log" 2>&1 &
    pids+=($!)
  done
  echo "export MM_CH_PIDS=\"${pids[*]}\"" >>"$dir/env"
  local port k up
  for port in "${CH_HTTP[@]}"; do
    up=0
    for k in $(seq 1 120); do
      if curl -sf "http://127.0.0.1:$port/?query=SELECT%201" >/dev/null 2>&1; then up=1; break; fi
      sleep 0.25
    done
    [ $up = 1 ] || { echo "ClickHouse on port $port did not start (see $dir/ch)" >&2; return 1; }
  done
  echo "export MM_TEST_CLICKHOUSE_URL=clickhouse://127.0.0.1:${CH_HTTP[0]}/default" >>"$dir/env"
  echo "export MM_TEST_CLICKHOUSE_SHARDS=clickhouse://127.0.0.1:${CH_HTTP[0]}/default,clickhouse://127.0.0.1:${CH_HTTP[1]}/default" >>"$dir/env"
}

stop_all() {
  [ -f "$dir/env" ] || return 0
  # shellcheck disable=SC1091
  . "$dir/env"
  local pid
  for pid in ${MM_PG_PID:-} ${MM_CH_PIDS:-}; do
    kill -INT "$pid" 2>/dev/null || continue
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -f "$dir/env"
}

case "$cmd" in
  start)
    mkdir -p "$dir"
    : >"$dir/env"
    status=0
    start_postgres || status=1
    start_clickhouse || status=1
    exit $status
    ;;
  stop) stop_all ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
