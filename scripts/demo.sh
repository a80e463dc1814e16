#!/usr/bin/env bash
# The README's first command: set-up, then the demo on the embedded cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product bus >/dev/null
exec .build/release/bus demo "$@"
