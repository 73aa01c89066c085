#!/usr/bin/env bash
# Where W1's CPU goes, by process and by component: runs W1 through the harness (Release, durable PostgreSQL, the
# AppHost as users run it) and samples every CPU with perf for SECONDS inside the measured window, then prints
# markdown tables (scripts/profile-report.py). Each sample is charged to the nearest component on its stack.
#
#   scripts/profile-w1.sh [SECONDS] [extra harness arguments]
#
# The services run with perf maps (DOTNET_PerfMapEnabled=1), ReadyToRun off and W^X off, so perf can name the JIT's
# code: the figures are of that configuration, a few percent apart from the default one. Needs perf (Debian:
# linux-perf) and root. Output: artifacts/profile/ (the harness log, perf.data, the report).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-10}
shift || true
out=artifacts/profile
mkdir -p "$out"
command -v perf >/dev/null || { echo "==> installing linux-perf"; apt-get install -y -qq linux-perf >/dev/null; }

echo "==> dotnet build -c Release perf/TaskEvents.LoadTests"
dotnet build -c Release perf/TaskEvents.LoadTests -v quiet -nologo >/dev/null

maps_before=$(ls /tmp/perf-*.map 2>/dev/null || true)
log=$out/harness.log
echo "==> W1 (latency --preset low-latency --rate 20 --warmup 45 --duration 20 $*), log in $log"
DOTNET_PerfMapEnabled=1 DOTNET_ReadyToRun=0 DOTNET_EnableWriteXorExecute=0 \
  dotnet run -c Release --no-build --project perf/TaskEvents.LoadTests -- \
  latency --preset low-latency --rate 20 --warmup 45 --duration 20 "$@" >"$log" 2>&1 &
harness=$!
trap 'kill $harness 2>/dev/null || true' EXIT

until grep -q ' s measure ' "$log"; do
  kill -0 $harness 2>/dev/null || { echo "the harness ended before measuring; see $log" >&2; exit 1; }
  sleep 1
done
sleep 1
echo "==> perf record, $seconds s, every CPU"
perf record -q -F 499 -a -g -o "$out/perf.data" -- sleep "$seconds" 2>/dev/null
wait $harness
trap - EXIT
grep -E 'latency p50|acknowledged p50|lost / duplicated' "$log" || true

python3 scripts/profile-report.py "$out/perf.data" | tee "$out/report.md"

# The maps this run's processes wrote (they exited with the harness).
for map in /tmp/perf-*.map /tmp/perfinfo-*.map; do
  [[ -e $map ]] && ! grep -qxF "$map" <<<"$maps_before" && rm -f "$map"
done
exit 0
