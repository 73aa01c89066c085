#!/usr/bin/env bash
# Runs the PostgreSQL postmaster in the foreground for the AppHost, which runs this script as an Aspire executable.
#   run-postgres.sh <user to run as, or - for the current one> <path of postgres> <postgres arguments...>
#
# Aspire stops an executable with SIGTERM, then SIGKILL a few seconds later. PostgreSQL takes SIGTERM as a "smart"
# shutdown that waits for every client to disconnect, so it would often be killed and need crash recovery on the next
# start. This script turns SIGTERM (and Ctrl+C's SIGINT) into SIGINT, PostgreSQL's fast shutdown: clients are
# disconnected, a checkpoint is written and the cluster is left "shut down". setpriv execs the server in place
# (runuser would stay in between and SIGKILL it two seconds after relaying a signal).
set -u
user=$1
shift
if [ "$user" = "-" ]; then
  "$@" &
else
  setpriv --reuid="$user" --regid="$user" --init-groups -- "$@" &
fi
postmaster=$!
trap 'kill -INT "$postmaster" 2>/dev/null' TERM INT
status=0
while kill -0 "$postmaster" 2>/dev/null; do
  wait "$postmaster"
  status=$?
done
exit "$status"
