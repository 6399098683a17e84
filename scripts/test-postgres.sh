#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests, on a free loopback port, trust auth, in a folder of its own.
#   eval "$(scripts/test-postgres.sh start)"   prints the exports: IV_TEST_POSTGRES and IV_TEST_POSTGRES_DIR
#   scripts/test-postgres.sh stop DIR          stops the cluster of DIR (pg_ctl -m fast) and removes DIR
#   scripts/test-postgres.sh pause DIR         stops the server of DIR (pg_ctl -m fast) and keeps its data: an outage
#   scripts/test-postgres.sh resume DIR        starts the paused server again, on the same port with the same options
# Run as root (installs postgresql when missing; the server runs as the postgres user, which refuses root) or as a
# user who can run initdb directly. Messages go to stderr; stdout carries only the exports.
set -euo pipefail

bin_dir() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then
    su postgres -s /bin/sh -c "$1"
  else
    sh -c "$1"
  fi
}

start() {
  if [ -z "$(bin_dir)" ] || [ ! -x "$(bin_dir)/initdb" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "installing postgresql for the PostgreSQL tests..." >&2
      (apt-get update -qq && apt-get -o DPkg::Lock::Timeout=600 install -y -qq postgresql) >/dev/null 2>&1 || { echo "could not install postgresql" >&2; return 1; }
    else
      echo "no PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb) and cannot install them" >&2
      return 1
    fi
  fi
  local bin; bin="$(bin_dir)"
  local dir; dir="$(mktemp -d /tmp/iv-pg-XXXXXX)"
  chmod 755 "$dir"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
  # A free port: ask the kernel for one, then let pg_ctl fail loudly if another process took it meanwhile.
  local port; port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
  as_postgres "$bin/initdb -D $dir/data -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >"$dir/initdb.log" 2>&1 \
    || { echo "initdb failed (see $dir/initdb.log)" >&2; cat "$dir/initdb.log" >&2; return 1; }
  # One account must give a password (the tests of PGPASSWORD and .pgpass); every other connects on trust.
  sed -i '0,/^local/s//host all iv_password_test 127.0.0.1\/32 scram-sha-256\nlocal/' "$dir/data/pg_hba.conf"
  # fsync off: a test cluster is thrown away, and durability costs the tests seconds. The options are kept for resume.
  echo "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >"$dir/server.options"
  run_server "$dir" || return 1
  echo "export IV_TEST_POSTGRES='Host=127.0.0.1;Port=$port;Username=postgres'"
  echo "export IV_TEST_POSTGRES_DIR='$dir'"
}

# Starts the server of a cluster folder with the options it was made with.
run_server() {
  local dir="$1"
  as_postgres "$(bin_dir)/pg_ctl -D $dir/data -o '$(cat "$dir/server.options")' -l $dir/server.log -w start" >/dev/null \
    || { echo "PostgreSQL did not start (see $dir/server.log)" >&2; cat "$dir/server.log" >&2; return 1; }
}

# The cluster folder argument, checked: only a folder this script made is stopped or removed.
cluster_dir() {
  local dir="${1:-${IV_TEST_POSTGRES_DIR:-}}"
  case "$dir" in
    /tmp/iv-pg-*) echo "$dir" ;;
    *) echo "not a test cluster folder: '$dir'" >&2; return 1 ;;
  esac
}

# An outage for the fault tests: the server stops (connections dropped, new ones refused) and its data stays.
pause() {
  local dir; dir="$(cluster_dir "${1:-}")" || return 1
  as_postgres "$(bin_dir)/pg_ctl -D $dir/data -m fast -w stop" >/dev/null
}

resume() {
  local dir; dir="$(cluster_dir "${1:-}")" || return 1
  run_server "$dir"
}

stop() {
  local dir; dir="$(cluster_dir "${1:-}")" || return 1
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_postgres "$(bin_dir)/pg_ctl -D $dir/data -m fast -w stop" >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  pause) pause "${2:-}" ;;
  resume) resume "${2:-}" ;;
  *) echo "usage: $0 start | stop DIR | pause DIR | resume DIR" >&2; exit 2 ;;
esac
