# A throwaway PostgreSQL on 127.0.0.1 from Debian's binaries (installed with apt-get when
# missing), owned by this run and removed by stop_postgres.
PG_PORT="${PG_PORT:-55432}"
PG_DIR=""
PG_LOG_DIR=""

find_pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

ensure_postgres_binaries() {
  if [ -z "$(find_pg_bin)" ] || [ ! -x "$(find_pg_bin)/initdb" ]; then apt_install postgresql; fi
  [ -x "$(find_pg_bin)/initdb" ]
}

# as_pg <command>: initdb refuses to run as root, so run as the postgres user when we are root.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}

# start_postgres <log dir>: the server's logs are copied there when it stops. Its data and
# socket live in a short directory of their own under /tmp: under the checkout the socket path
# broke PostgreSQL's 107-byte limit for a checkout path of ~50 characters, and a checkout in a
# directory the postgres user cannot enter (/root) could not be initialized at all.
start_postgres() {
  PG_LOG_DIR=$1
  ensure_postgres_binaries || { echo "PostgreSQL binaries unavailable" >&2; return 1; }
  local bin
  bin=$(find_pg_bin)
  mkdir -p "$PG_LOG_DIR"
  PG_DIR=$(mktemp -d /tmp/portal-pg.XXXXXX) || return 1
  chmod 755 "$PG_DIR"
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$PG_DIR"; fi
  as_pg "$bin/initdb -D $PG_DIR/data -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >$PG_DIR/initdb.log" || return 1
  as_pg "$bin/pg_ctl -D $PG_DIR/data -l $PG_DIR/server.log -o '-c listen_addresses=127.0.0.1 -p $PG_PORT -c unix_socket_directories=$PG_DIR' -w start >/dev/null" || {
    cat "$PG_DIR/server.log" >&2
    return 1
  }
  export POSTGRES_HOST=127.0.0.1 POSTGRES_PORT=$PG_PORT POSTGRES_USER=postgres POSTGRES_PASSWORD=unused
  echo "PostgreSQL ($("$bin/postgres" --version)) on 127.0.0.1:$PG_PORT"
}

stop_postgres() {
  [ -n "$PG_DIR" ] || return 0
  if [ -f "$PG_DIR/data/postmaster.pid" ]; then
    as_pg "$(find_pg_bin)/pg_ctl -D $PG_DIR/data -m fast -w stop >/dev/null" || true
  fi
  if [ -n "$PG_LOG_DIR" ]; then cp "$PG_DIR"/*.log "$PG_LOG_DIR"/ 2>/dev/null || true; fi
  rm -rf "$PG_DIR"
  PG_DIR=""
}
