#!/usr/bin/env bash
# The full reliability run: the eleven faults at the issue's sizes (TaskEvents.ReliabilityTests) and the bad-input and
# attack suites (TaskEvents.SecurityTests), then every table they wrote to artifacts/reliability/.
#   ./scripts/reliability.sh [extra dotnet test arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/prerequisites.sh
. scripts/process-check.sh
set +e

export TASKEVENTS_FULL_RUN=1
mkdir -p artifacts/reliability
rm -rf artifacts/reliability/*.md artifacts/reliability/*.log artifacts/reliability/.fragments
started=$(date +%s)
status=0

run() {
  local project=$1
  if [ ! -d "$project" ]; then
    echo "==> $project: not in this checkout, skipped"
    return
  fi
  echo "==> $(date +%T) dotnet test $project (TASKEVENTS_FULL_RUN=1)"
  # Progress: one line per test as it finishes, each failure's message, the summary (not the services' own logs);
  # the whole output goes to artifacts/reliability/<project>.log.
  dotnet test "$project" --logger "console;verbosity=normal" "${@:2}" 2>&1 \
    | tee "artifacts/reliability/$(basename "$project").log" \
    | awk '/^  (Passed|Failed|Skipped) [A-Za-z]/ { print; fflush() }
           /^ +Error Message:/ { failure = 1 }
           /^ +Stack Trace:/ { failure = 0 }
           failure { print; fflush() }
           /^(Passed|Failed)!|error [A-Z]+[0-9]+:/ { print; fflush() }'
  local code=${PIPESTATUS[0]}
  echo "==> $(date +%T) $project finished with exit code $code"
  [ "$code" -eq 0 ] || status=$code
}

run tests/TaskEvents.ReliabilityTests "$@"
run tests/TaskEvents.SecurityTests "$@"
check_no_process_left || status=1

echo
echo "==> Tables (artifacts/reliability/*.md), after $(( $(date +%s) - started )) s"
shopt -s nullglob
tables=(artifacts/reliability/*.md)
if [ ${#tables[@]} -eq 0 ]; then
  echo "(none written)"
fi
for table in "${tables[@]}"; do
  echo
  echo "----- $table"
  cat "$table"
done
exit "$status"
