# Sourced by the test scripts. Every process a test run starts inherits TASKEVENTS_TEST_RUN (a new id per run) in its
# environment; check_no_process_left fails the run when any of them outlives it, names them, and kills them.

TASKEVENTS_TEST_RUN="$(cat /proc/sys/kernel/random/uuid)"
export TASKEVENTS_TEST_RUN

# The processes of this run still alive: marked, not this script or one of its own children (the check's subshells),
# and not the build servers dotnet keeps for later builds on purpose.
processes_of_this_run() {
  local environ pid parent command
  for environ in /proc/[0-9]*/environ; do
    pid=${environ#/proc/}
    pid=${pid%/environ}
    tr '\0' '\n' 2>/dev/null <"$environ" | grep -qxF "TASKEVENTS_TEST_RUN=$TASKEVENTS_TEST_RUN" || continue
    parent=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f2) || continue
    [ "$pid" = "$$" ] || [ "$parent" = "$$" ] || [ "$parent" = "$BASHPID" ] && continue
    command=$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline")
    case "$command" in
      "" | *MSBuild.dll* | *VBCSCompiler* | *Razor*Server* | *build-server*) continue ;;
    esac
    echo "$pid $command"
  done
}

# Gives what is still stopping 15 s, then fails (status 1) naming and killing whatever is left.
check_no_process_left() {
  local left deadline=$((SECONDS + 15))
  while left=$(processes_of_this_run) && [ -n "$left" ] && [ $SECONDS -lt $deadline ]; do
    sleep 1
  done
  if [ -n "$left" ]; then
    echo "error: $(echo "$left" | wc -l) process(es) started by the tests outlived them (killed now):"
    echo "$left" | cut -c1-300
    echo "$left" | cut -d' ' -f1 | xargs -r kill -9 2>/dev/null
    return 1
  fi
  echo "==> no process started by the tests is left"
}
