#!/usr/bin/env bash
# System packages the test suite needs, installed only when missing (run by `npm test` as pretest):
# ffprobe/ffmpeg (Debian's ffmpeg) decode the simulator's MP4s with a real decoder; Debian's chromium
# runs the MCP Apps view in a real browser (driven by playwright-core; never `npx playwright install`);
# Node 22 and 24 (the npm registry's `node` package) run the stdio end-to-end tests on the versions users run;
# openssl makes the loopback TLS certificate of the signed-storage host the OpenRouter fake links to;
# PostgreSQL (15, Debian's) and nginx run the team tests: a throwaway cluster and a load balancer in temp folders,
# started by the tests themselves (test/support/postgres.ts, test/support/nginx.ts); the packages' own services are not used.
set -euo pipefail
cd "$(dirname "$0")/.."

# Node 22 and 24: fetched once into npm's cache, their paths recorded for test/e2e/node-versions.test.ts.
mkdir -p .tmp
nodes="{"
for major in 22 24; do
  binary="$(npx -y -p "node@${major}" -c 'command -v node')"
  nodes="${nodes}\"${major}\": \"${binary}\","
done
printf '%s}\n' "${nodes%,}" > .tmp/node-versions.json
# The official MCP conformance suite (it needs Node 22), fetched once into npm's cache for test/e2e/conformance.test.ts.
for suite in 0.1.16 0.2.0-alpha.12; do
  npx -y -p node@22 -p "@modelcontextprotocol/conformance@${suite}" -c "command -v conformance" >/dev/null 2>&1
done

missing=()
command -v ffprobe >/dev/null 2>&1 || missing+=(ffmpeg)
command -v mkfifo >/dev/null 2>&1 || missing+=(coreutils)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v nginx >/dev/null 2>&1 || missing+=(nginx)
compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null || missing+=(postgresql)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "Installing test dependencies: ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "The tests need: ${missing[*]} (ffprobe from ffmpeg, a chromium binary, openssl and nginx on PATH, PostgreSQL under /usr/lib/postgresql). Install them with your package manager." >&2
  exit 1
fi
