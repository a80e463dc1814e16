#!/usr/bin/env bash
# The release build exactly as deploy/Dockerfile makes it (its `swift build` line, read from
# the Dockerfile), into .build-release so the debug build is untouched; then every deployment
# check with those binaries: each starts, is ready through `bus probe` on the embedded cluster
# and exits 0 on SIGTERM. Several minutes on two cores, so not part of scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
build=$(grep -E '^RUN swift build ' deploy/Dockerfile | sed -e 's/^RUN //')
[ -n "$build" ] || { echo "check-release: no 'RUN swift build' line in deploy/Dockerfile" >&2; exit 1; }
echo "check-release: $build --build-path .build-release"
$build --build-path .build-release
scripts/check-deploy.sh .build-release/release
