#!/usr/bin/env bash
# The top-of-the-hour burst, three ways in one run (same machine, one after the other):
#   1. this checkout:    bench/due-burst.ts, N tasks due at one instant (real runs: PDF, SMTP, records)
#   2. an older checkout (--base DIR): the same script there, e.g. a `git worktree` of the design before
#   3. BullMQ on Redis (--anchor DIR): a driver that adds N delayed empty jobs due at one instant and
#      records when each starts (`node DIR/bull/drive.js --n N`; needs Debian's redis-server and
#      bullmq installed in DIR)
#
#   bash bench/burst-side-by-side.sh --tasks 2000 --base /tmp/base-checkout --anchor /path/to/anchor \
#     [--base-variant SPEC] [-- due-burst options for this checkout]
#
# Options after `--` replace the default due-burst options of this checkout (`--variant default
# --no-histories --lead-seconds 240 --stall-seconds 120`); the base runs the same options, except
# that `--base-variant SPEC` gives it that one variant instead of this checkout's. Each part writes
# its JSON into bench/results/ (the base's own there first, then copied here; the anchor's
# result.json as bullmq-anchor-N-<time>.json). Runs at raised CPU priority when allowed, so other
# work on the box yields to it.
set -euo pipefail
cd "$(dirname "$0")/.."
tasks=2000 base='' anchor='' base_variant=''
burst_options=(--variant default --no-histories --lead-seconds 240 --stall-seconds 120)
while [ $# -gt 0 ]; do
  case "$1" in
    --tasks) tasks=$2; shift 2 ;;
    --base) base=$2; shift 2 ;;
    --anchor) anchor=$2; shift 2 ;;
    --base-variant) base_variant=$2; shift 2 ;;
    --) shift; burst_options=("$@"); break ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
priority=(nice -n -10)
"${priority[@]}" true 2>/dev/null || priority=()
results=$PWD/bench/results

echo "== this checkout ($(git rev-parse --short HEAD)) $(date -u +%FT%TZ)"
"${priority[@]}" npx tsx bench/due-burst.ts --tasks "$tasks" "${burst_options[@]}"
if [ -n "$base" ]; then
  base_options=("${burst_options[@]}")
  if [ -n "$base_variant" ]; then
    # This checkout's options without its variants, and the base's one variant.
    base_options=()
    for ((i = 0; i < ${#burst_options[@]}; i++)); do
      if [ "${burst_options[i]}" = --variant ]; then i=$((i + 1)); else base_options+=("${burst_options[i]}"); fi
    done
    base_options+=(--variant "$base_variant")
  fi
  echo "== base checkout $base ($(git -C "$base" rev-parse --short HEAD)) $(date -u +%FT%TZ)"
  newest_before=$(ls -t "$base/bench/results"/due-burst-*.json 2>/dev/null | head -1 || true)
  (cd "$base" && "${priority[@]}" npx tsx bench/due-burst.ts --tasks "$tasks" "${base_options[@]}")
  newest=$(ls -t "$base/bench/results"/due-burst-*.json | head -1)
  if [ "$newest" != "$newest_before" ]; then cp "$newest" "$results/"; echo "base result: bench/results/$(basename "$newest")"; fi
fi
if [ -n "$anchor" ]; then
  echo "== BullMQ anchor in $anchor $(date -u +%FT%TZ)"
  runs=${RUNS:-$anchor/runs}
  at=$(date -u +%Y%m%dT%H%M%SZ)
  (cd "$anchor" && RUNS="$runs" "${priority[@]}" timeout 600 node bull/drive.js --n "$tasks" --est-rate 1000 --lead 75)
  out="$results/bullmq-anchor-$tasks-$at.json"
  node -e '
    const [file, n, at, out] = process.argv.slice(1);
    const result = JSON.parse(require("fs").readFileSync(file, "utf8"));
    const doc = { benchmark: "bullmq-anchor", command: `RUNS=<dir> node bull/drive.js --n ${n} --est-rate 1000 --lead 75 (bench/burst-side-by-side.sh, Debian redis-server)`, at, result };
    require("fs").writeFileSync(out, JSON.stringify(doc, null, 2) + "\n");
  ' "$runs/D-$tasks-wconcdefault/result.json" "$tasks" "$at" "$out"
  echo "anchor result: bench/results/$(basename "$out")"
fi
