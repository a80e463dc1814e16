#!/usr/bin/env bash
# The release build exactly as deploy/Dockerfile makes it (its `swift build` line, read from
# the Dockerfile), into .build-release so the debug build is untouched; then the deployment
# checks with those binaries (each starts, is ready through `bus probe` on the embedded
# cluster and exits 0 on SIGTERM); then `bus bench --quick` with those binaries (every worker
# against the Kafka passthrough in the same run, exit 1 below 0.25 of it: speed is a release
# property, the debug build's ratios say little).
#   scripts/check-release.sh          every deployment check (scripts/check-deploy.sh), then the bench
#   scripts/check-release.sh --ci     what scripts/test.sh runs after the debug suite: only the
#                                     checks that depend on the binaries (the live ones), then the
#                                     bench; the static checks and compose's demo already ran there
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-full}"
case "$mode" in full|--ci) ;; *) echo "usage: scripts/check-release.sh [--ci]" >&2; exit 2 ;; esac
scripts/setup.sh
build=$(grep -E '^RUN swift build ' deploy/Dockerfile | sed -e 's/^RUN //')
[ -n "$build" ] || { echo "check-release: no 'RUN swift build' line in deploy/Dockerfile" >&2; exit 1; }
echo "check-release: $build --build-path .build-release"
started=$SECONDS
$build --build-path .build-release
echo "check-release: release build took $((SECONDS - started)) s"
if [ "$mode" = "--ci" ]; then
  .venv-test/bin/python3 scripts/check_deploy.py live --bin .build-release/release
else
  scripts/check-deploy.sh .build-release/release
fi
# The bench starts the worker executables next to `bus` (the release ones) and reads
# topics/topics.json from the repository root (the current directory here).
echo "check-release: .build-release/release/bus bench --quick --json .build-release/bench-quick.json"
started=$SECONDS
.build-release/release/bus bench --quick --json .build-release/bench-quick.json
echo "check-release: bus bench --quick took $((SECONDS - started)) s"
