#!/usr/bin/env bash
# System packages the test suite needs, installed only when missing (run by `npm test` as pretest):
# ffprobe/ffmpeg (Debian's ffmpeg) decode the simulator's MP4s with a real decoder.
set -euo pipefail
missing=()
command -v ffprobe >/dev/null 2>&1 || missing+=(ffmpeg)
command -v mkfifo >/dev/null 2>&1 || missing+=(coreutils)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "Installing test dependencies: ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "The tests need: ${missing[*]} (ffprobe from ffmpeg). Install them with your package manager." >&2
  exit 1
fi
