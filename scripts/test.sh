#!/usr/bin/env bash
# The test command: installs what the tests need when it is missing, then runs every test.
#   ./scripts/test.sh [extra dotnet test arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

. scripts/prerequisites.sh
. scripts/process-check.sh

echo "==> dotnet test TaskEvents.sln"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test TaskEvents.sln "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
check_no_process_left || status=1
set -e

# One closing line for the whole run, summed over the test assemblies.
awk '/^(Passed|Failed)!/ {
       for (i = 1; i <= NF; i++) {
         if ($i == "Failed:") failed += $(i + 1)
         if ($i == "Passed:") passed += $(i + 1)
         if ($i == "Skipped:") skipped += $(i + 1)
       }
     }
     END { printf "%d passed, %d failed, %d skipped\n", passed, failed, skipped }' "$log"
exit "$status"
