#!/usr/bin/env bash
# System packages the test suite needs (run by `npm test` through pretest), installed only when missing.
set -euo pipefail
missing=()
command -v mkfifo >/dev/null 2>&1 || missing+=(coreutils)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if command -v apt-get >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
else
  echo "Please install: ${missing[*]}" >&2
  exit 1
fi
