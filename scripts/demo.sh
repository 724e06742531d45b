#!/usr/bin/env bash
# Builds the agent and the demo, then runs the demo on the embedded H2 default in ./demo-run.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package
mkdir -p demo-run
cd demo-run
java -jar ../demo/target/background-task-demo.jar
