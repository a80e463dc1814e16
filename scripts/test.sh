#!/usr/bin/env bash
# The README's test command: set-up, then every test (unit and embedded-cluster),
# then the checks on the committed contract (schemas exported from the code).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build --build-tests
# deploy/ against the Compose, Kubernetes, KEDA and Prometheus-operator specifications and the
# code; the built workers as processes (ready through `bus probe`, exit 0 on SIGTERM).
scripts/check-deploy.sh .build/debug
swift test --skip-build 2>&1 | tee /tmp/bus-test.log
