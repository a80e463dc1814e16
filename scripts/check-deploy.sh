#!/usr/bin/env bash
# The deployment checks of deploy/ (run by scripts/test.sh): the specifications (Compose,
# Kubernetes, KEDA and Prometheus-operator CRDs, Pod Security "restricted"), consistency with
# the code and the catalogue, then the built workers as processes on the embedded cluster and
# the dashboard's and alerts' PromQL against their live /metrics.
#   scripts/check-deploy.sh [BIN_DIR]     BIN_DIR: built executables (default .build/debug)
# scripts/check-release.sh does the same with the Dockerfile's release build.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-.build/debug}"
python=.venv-test/bin/python3
"$python" scripts/check_deploy.py static
"$python" scripts/check_deploy.py live --bin "$bin"
