#!/usr/bin/env bash
# Starts local MariaDB, PostgreSQL and Redis for the real-service tests (npm run db:up).
#
#   MariaDB     127.0.0.1:3306  root, empty password   database `test`
#   PostgreSQL  127.0.0.1:5432  postgres, trust auth   database `test`
#   Redis       127.0.0.1:6379  no auth, nothing kept on disk (shared concurrency cap)
#
# Idempotent: a server that already answers is left alone (only the missing `test` database or
# TCP login is added). Installs the servers with apt-get when their binaries are missing.
# Debian/Ubuntu layout (no systemd needed). Exits non-zero with a message when something fails.
set -euo pipefail

WAIT_SECONDS="${DB_UP_WAIT_SECONDS:-60}"
MARIADBD="/usr/sbin/mariadbd"

log() { echo "[db-up] $*" >&2; }
fail() {
  echo "[db-up] ERROR: $*" >&2
  exit 1
}

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  else
    SUDO=(__need_root__)
  fi
fi
as_root() {
  if [ "${SUDO[0]:-}" = "__need_root__" ]; then
    fail "this step needs root: run 'sudo npm run db:up' (or install sudo): $*"
  fi
  "${SUDO[@]}" "$@"
}
as_postgres() { as_root runuser -u postgres -- "$@"; }

mariadb_up() { mysqladmin --connect-timeout=2 -h127.0.0.1 -P3306 -uroot ping >/dev/null 2>&1; }
mariadb_tcp_root() { mysql --connect-timeout=2 -h127.0.0.1 -P3306 -uroot -e "SELECT 1" >/dev/null 2>&1; }
pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 -t 2 >/dev/null 2>&1; }
pg_trust() { psql -w -h 127.0.0.1 -p 5432 -U postgres -d postgres -tAc "SELECT 1" >/dev/null 2>&1; }

wait_for() {
  local name=$1 check=$2 i
  for ((i = 0; i < WAIT_SECONDS; i++)); do
    if "$check"; then return 0; fi
    sleep 1
  done
  fail "$name did not answer within ${WAIT_SECONDS}s (see its log: /var/log/mysql/error.log or /var/log/postgresql/)"
}

# --- install what is missing -----------------------------------------------------------------
missing=()
if [ ! -x "$MARIADBD" ] || ! command -v mysqladmin >/dev/null 2>&1; then missing+=(mariadb-server mariadb-client); fi
if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! command -v pg_isready >/dev/null 2>&1; then missing+=(postgresql postgresql-client); fi
if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then missing+=(redis-server redis-tools); fi
if [ "${#missing[@]}" -gt 0 ]; then
  command -v apt-get >/dev/null 2>&1 || fail "missing ${missing[*]} and apt-get is not available: install MariaDB and PostgreSQL yourself"
  log "installing ${missing[*]} with apt-get"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
fi

# --- MariaDB ---------------------------------------------------------------------------------
if mariadb_up; then
  log "MariaDB already running on 127.0.0.1:3306"
else
  log "starting MariaDB"
  if [ ! -d /var/lib/mysql/mysql ]; then
    log "initialising the MariaDB data directory"
    as_root mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/dev/null
  fi
  as_root mkdir -p /run/mysqld
  as_root chown mysql:mysql /run/mysqld
  # `user = mysql` may or may not be in /etc/mysql config: pass it explicitly (mariadbd refuses root).
  as_root start-stop-daemon --start --oknodo --background --exec "$MARIADBD" -- --user=mysql
  wait_for MariaDB mariadb_up
  log "MariaDB is up"
fi

if ! mariadb_tcp_root; then
  # Debian's root@localhost authenticates via unix_socket only; allow TCP with an empty password too.
  log "enabling TCP login for root with an empty password"
  as_root mysql --protocol=socket -uroot -e "
    ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('');
    CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '';
    GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
    FLUSH PRIVILEGES;" || fail "could not configure MariaDB root login (connect as root over the socket failed)"
  mariadb_tcp_root || fail "MariaDB runs but root cannot log in over TCP at 127.0.0.1:3306 with an empty password"
fi
mysql -h127.0.0.1 -P3306 -uroot -e "CREATE DATABASE IF NOT EXISTS test" || fail "could not create MariaDB database 'test'"

# --- PostgreSQL ------------------------------------------------------------------------------
pg_version() {
  local v
  v=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$v" ]; then
    v=$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1 || true)
    [ -n "$v" ] || fail "no PostgreSQL installation found under /usr/lib/postgresql"
    log "creating PostgreSQL cluster $v/main"
    as_root pg_createcluster "$v" main >/dev/null
  fi
  echo "$v"
}

ensure_pg_trust() {
  local version=$1 hba
  hba="/etc/postgresql/$version/main/pg_hba.conf"
  [ -f "$hba" ] || fail "no $hba"
  if ! as_root grep -Eq '^[[:space:]]*host[[:space:]]+all[[:space:]]+all[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' "$hba"; then
    log "allowing trust auth for 127.0.0.1 in $hba (test servers only)"
    as_root cp "$hba" "$hba.bak-db-up"
    # pg_hba is first-match: put the rule before the others.
    as_root sed -i '1i host    all    all    127.0.0.1/32    trust' "$hba"
  fi
}

if pg_up; then
  log "PostgreSQL already running on 127.0.0.1:5432"
  if ! pg_trust; then
    version=$(pg_version)
    ensure_pg_trust "$version"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main reload
    sleep 1
  fi
else
  version=$(pg_version)
  ensure_pg_trust "$version"
  log "starting PostgreSQL $version/main"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || log "pg_ctlcluster start returned non-zero; waiting for the server anyway"
  wait_for PostgreSQL pg_up
  log "PostgreSQL is up"
fi
pg_trust || fail "PostgreSQL runs but user postgres cannot log in without a password at 127.0.0.1:5432 (check pg_hba.conf)"
if [ "$(psql -w -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'test'")" != "1" ]; then
  psql -w -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE test" || fail "could not create PostgreSQL database 'test'"
fi

# --- Redis -----------------------------------------------------------------------------------
redis_up() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ]; }
if redis_up; then
  log "Redis already running on 127.0.0.1:6379"
else
  log "starting Redis"
  as_root mkdir -p /var/lib/redis /var/log/redis
  as_root redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
  wait_for Redis redis_up
  log "Redis is up"
fi

log "ready: MariaDB root@127.0.0.1:3306/test, PostgreSQL postgres@127.0.0.1:5432/test, Redis 127.0.0.1:6379"
