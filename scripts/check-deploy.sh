#!/usr/bin/env bash
# The deployment checks of deploy/ (run by scripts/test.sh): the specifications (Compose,
# Kubernetes, KEDA and Prometheus-operator CRDs, Pod Security "restricted"), consistency with
# the code and the catalogue, then the built workers as processes on the embedded cluster and
# the dashboard's and alerts' PromQL against their live /metrics; then compose's demo (the
# workers as compose.yaml + compose.demo.yaml start them, `bus demo --workers none` must
# reconcile); and the checks' own tests (each check fails on a copy of deploy/ that breaks it).
#   scripts/check-deploy.sh [BIN_DIR]     BIN_DIR: built executables (default .build/debug)
# scripts/check-release.sh does the same with the Dockerfile's release build.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-.build/debug}"
python=.venv-test/bin/python3
"$python" scripts/check_deploy.py static
"$python" scripts/check_deploy.py live --bin "$bin"
# 30 orders: the demo reconciles in about a minute here; compose runs its default 200.
"$python" scripts/check_deploy.py demo --bin "$bin" --orders 30
"$python" -m unittest discover -s scripts -p test_check_deploy.py
