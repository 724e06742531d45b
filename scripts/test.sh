#!/usr/bin/env bash
# The whole test suite, from a fresh clone: starts the databases the tests need, installs the
# tools they use (Debian's faketime, for worker JVMs whose clocks are shifted), builds every
# module, and runs unit and end-to-end tests (child JVMs on the default JDK and on the newer one).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/start-databases.sh
if [ ! -e /usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1 ]; then
  echo "test.sh: installing Debian's faketime"
  apt-get install -y -q faketime >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q faketime >/dev/null; }
fi
mvn -B verify "$@"
