#!/usr/bin/env bash
# The README's test command: set-up, then every test (unit and embedded-cluster),
# then the checks on the committed contract (schemas exported from the code).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build --build-tests
swift test --skip-build 2>&1 | tee /tmp/bus-test.log
