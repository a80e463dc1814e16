#!/usr/bin/env bash
# The README's test command: set-up, then every test (unit and embedded-cluster),
# then the checks on the committed contract (schemas exported from the code), then the
# release check (the Dockerfile's release build, its binaries live, `bus bench --quick`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build --build-tests
# deploy/ against the Compose, Kubernetes, KEDA and Prometheus-operator specifications and the
# code; the built workers as processes (ready through `bus probe`, exit 0 on SIGTERM).
scripts/check-deploy.sh .build/debug
swift test --skip-build 2>&1 | tee /tmp/bus-test.log
# After the suite, not beside it: the suite's embedded-cluster tests and the bench both need
# the two cores to themselves (a build beside them starves their timers, and the bench's
# ratios would measure the build). About 5 to 9 min on 2 cores (README "Performance").
scripts/check-release.sh --ci
