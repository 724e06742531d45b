#!/usr/bin/env bash
# The whole test suite, from a fresh clone: starts the databases the tests need, installs the
# tools and servers they use (Debian's faketime, for worker JVMs whose clocks are shifted; pgbouncer
# and galera-4, which tests start on loopback ports; Debian's chromium and playwright-core from npm,
# for the dashboard's browser test), builds every module, and runs unit and end-to-end tests (child
# JVMs on the default JDK and on the newer one).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/start-databases.sh
if [ ! -e /usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1 ]; then
  echo "test.sh: installing Debian's faketime"
  apt-get install -y -q faketime >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q faketime >/dev/null; }
fi
# Servers some tests start themselves, on loopback ports: pgbouncer in front of PostgreSQL, and a
# two-node MariaDB Galera cluster (galera-4, with rsync for a joining node's copy of the data).
for package in pgbouncer galera-4 rsync; do
  if ! dpkg -s "$package" >/dev/null 2>&1; then
    echo "test.sh: installing Debian's $package"
    apt-get install -y -q "$package" >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q "$package" >/dev/null; }
  fi
done
if [ ! -x /usr/bin/chromium ]; then
  echo "test.sh: installing Debian's chromium (the dashboard's browser test drives it)"
  apt-get install -y -q chromium >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }
fi
# playwright-core drives that Chromium; it never downloads a browser of its own.
npm ci --prefix e2e/src/test/browser --no-audit --no-fund --loglevel=error
mvn -B verify "$@"
