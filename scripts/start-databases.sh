#!/usr/bin/env bash
# Starts the local PostgreSQL and MariaDB servers the test suite talks to, when they are down,
# and fails when either cannot be reached afterwards. Safe to run when both are already up.
set -euo pipefail

postgres_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
mariadb_up() { mysqladmin --protocol=tcp -h 127.0.0.1 -P 3306 -u root status >/dev/null 2>&1; }

wait_for() {
  local name=$1 check=$2
  for _ in $(seq 1 60); do
    if $check; then return 0; fi
    sleep 1
  done
  echo "start-databases: $name did not come up on 127.0.0.1" >&2
  return 1
}

if ! postgres_up; then
  echo "start-databases: starting PostgreSQL"
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  fi
  wait_for PostgreSQL postgres_up
fi

if ! mariadb_up; then
  echo "start-databases: starting MariaDB"
  if command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ]; then
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd || true
  fi
  wait_for MariaDB mariadb_up
fi
