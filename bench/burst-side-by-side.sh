#!/usr/bin/env bash
# The top-of-the-hour burst, three ways in one run (same machine, one after the other):
#   1. this checkout:    bench/due-burst.ts, N tasks due at one instant (real runs: PDF, SMTP, records)
#   2. an older checkout (--base DIR): the same script there, e.g. a `git worktree` of the design before
#   3. BullMQ on Redis (--anchor DIR): a driver that adds N delayed empty jobs due at one instant and
#      records when each starts (`node DIR/bull/drive.js --n N`; needs Debian's redis-server)
#
#   bash bench/burst-side-by-side.sh --tasks 2000 --base /tmp/base-checkout --anchor /path/to/anchor [--lead-seconds 240]
#
# Each part writes its own JSON (bench/results/, the base's bench/results/, the anchor's RUNS dir);
# this prints where. Runs at raised CPU priority when allowed, so other work on the box yields to it.
set -euo pipefail
cd "$(dirname "$0")/.."
tasks=2000 base='' anchor='' lead=240
while [ $# -gt 0 ]; do
  case "$1" in
    --tasks) tasks=$2; shift 2 ;;
    --base) base=$2; shift 2 ;;
    --anchor) anchor=$2; shift 2 ;;
    --lead-seconds) lead=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
priority=(nice -n -10)
"${priority[@]}" true 2>/dev/null || priority=()

burst=(bench/due-burst.ts --tasks "$tasks" --variant default --no-histories --lead-seconds "$lead" --stall-seconds 120)
echo "== this checkout ($(git rev-parse --short HEAD))"
"${priority[@]}" npx tsx "${burst[@]}"
if [ -n "$base" ]; then
  echo "== base checkout $base ($(git -C "$base" rev-parse --short HEAD))"
  (cd "$base" && "${priority[@]}" npx tsx "${burst[@]}")
fi
if [ -n "$anchor" ]; then
  echo "== BullMQ anchor in $anchor"
  (cd "$anchor" && RUNS="${RUNS:-$anchor/runs}" "${priority[@]}" timeout 600 node bull/drive.js --n "$tasks" --est-rate 1000 --lead 75)
fi
