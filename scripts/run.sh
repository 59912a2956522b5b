#!/usr/bin/env bash
# Entry point of `npm start` and `npm test`: works on a fresh clone. Installs the npm dependencies
# when they are missing or older than the lock file, then hands over (the local stack's own
# binaries are installed on demand by scripts/stack/).
set -euo pipefail
cd "$(dirname "$0")/.."

command -v node >/dev/null || { echo "missing prerequisite: Node.js >= 20.19 with npm" >&2; exit 1; }
command -v npm >/dev/null || { echo "missing prerequisite: npm (comes with Node.js)" >&2; exit 1; }

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "installing npm dependencies (npm ci) …"
  npm ci --no-audit --no-fund --loglevel=error
fi

case "${1:-}" in
  start)
    exec npx tsx scripts/start.ts
    ;;
  test)
    # docker-compose validates the production compose file in the suite; Debian packages it.
    if ! command -v docker-compose >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      (apt-get install -y -qq docker-compose >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq docker-compose >/dev/null 2>&1; }) || true
    fi
    # The console's browser tests drive Debian's chromium (puppeteer-core never downloads a browser).
    if [ -z "${CHROMIUM_PATH:-}" ] && ! command -v chromium >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "installing chromium (apt-get) for the console's browser tests …"
      (apt-get install -y -qq chromium >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq chromium >/dev/null 2>&1; }) || true
    fi
    npx tsc --noEmit -p .
    npx eslint --max-warnings 0 .
    # The schedule's results must not depend on the process's zone: its unit tests run under two.
    TZ=Pacific/Kiritimati SCHEDULE_CROSSCHECK_CASES=300 npx mocha --no-config --require tsx/cjs --timeout 60000 'test/unit/schedule/**/*.test.ts'
    exec npx mocha
    ;;
  *)
    echo "usage: scripts/run.sh start|test" >&2
    exit 2
    ;;
esac
