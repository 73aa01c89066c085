#!/usr/bin/env bash
# Append latency one hop at a time, at a light paced load, against a running system (the AppHost in Development):
# N appends at RATE a second over one keep-alive connection, first through the gateway, then straight to an Api replica.
# The difference is the gateway's hop. Only 201 answers count; every status is listed.
#
#   scripts/append-hops.sh GATEWAY_URL API_URL [N] [RATE]
#   e.g. scripts/append-hops.sh http://localhost:8000 http://localhost:30161 200 25
# An Api replica's http URL is in the gateway's environment (services__api__http__0) or on the dashboard.
set -euo pipefail

if [[ $# -lt 2 ]]; then
  sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi

gateway=$1 api=$2 count=${3:-200} rate=${4:-25}
[[ $rate -le 40 ]] || { echo "RATE must stay under the gateway's 50 requests/s per client" >&2; exit 2; }

response=$(curl -fsS -XPOST "$gateway/auth/dev-token" -H 'content-type: application/json' \
  -d '{"tenant":"hop-probe","scopes":["events:read","events:write"]}') \
  || { echo "no dev token from $gateway/auth/dev-token: is the AppHost running (Development)?" >&2; exit 2; }
token=$(sed 's/.*"access_token":"\([^"]*\)".*/\1/' <<<"$response")

measure() { # label base-url
  local label=$1 base=$2 task="hops-$(date +%s%N)" args=() out
  curl -fsS -o /dev/null -XPOST "$base/api/tasks" -H "Authorization: Bearer $token" -H 'content-type: application/json' \
    -d "{\"task_id\":\"$task\"}"
  for _ in $(seq 1 "$count"); do
    args+=(-sS -o /dev/null -w '%{http_code} %{time_total}\n' -XPOST "$base/api/tasks/$task/events"
      -H "Authorization: Bearer $token" -H 'content-type: application/json'
      -d '{"event_type":"progress_update","payload":{"progress":1}}' --next)
  done
  out=$(curl --rate "$rate/s" "${args[@]}" -sS -o /dev/null "$base/alive")
  printf '%-8s statuses: %s\n' "$label" "$(awk '{print $1}' <<<"$out" | sort | uniq -c | awk '{printf "%s×%s ", $2, $1}')"
  awk '$1 == 201 {print $2 * 1000}' <<<"$out" | sort -n | awk -v label="$label" '
    { v[NR] = $1 }
    function rank(p,  i) { i = int(NR * p + 0.999999); return i < 1 ? 1 : i }
    END { if (NR == 0) { print label " no 201 answers"; exit 1 }
          printf "%-8s %d appends: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n", label, NR,
                 v[rank(0.50)], v[rank(0.90)], v[rank(0.99)], v[NR] }'
}

echo "$(date -u '+%Y-%m-%d %H:%M UTC'): $count appends at $rate/s each, one keep-alive connection, time_total as curl sees it"
measure gateway "$gateway"
measure api "$api"
