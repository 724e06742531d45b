#!/usr/bin/env bash
# The whole test suite, from a fresh clone: starts the databases the tests need, builds every
# module, and runs unit and end-to-end tests (child JVMs on the default JDK and on the newer one).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/start-databases.sh
mvn -B verify "$@"
