#!/usr/bin/env bash
# One conversation, many messages at once: sends N messages to one new conversation, P at a time, with curl, and
# prints the status codes, the wall time and the conversation's message_count (which must be 1 + 2N with a greeting).
# Usage: bench/burst.sh BASE_URL API_KEY [N=100] [P=8]
set -euo pipefail
base=$1 key=$2 n=${3:-100} p=${4:-8}
auth=(-H "Authorization: Bearer $key" -H "Content-Type: application/json")
bot=$(curl -sf "${auth[@]}" "$base/v1/bots" -d '{"name":"Burst","greeting":"Hello!"}' | sed -E 's/^\{"id":"([^"]+)".*/\1/')
conv=$(curl -sf "${auth[@]}" "$base/v1/conversations" -d "{\"bot_id\":\"$bot\"}" | sed -E 's/.*"conversation":\{"id":"([^"]+)".*/\1/')
start=$(date +%s.%N)
codes=$(seq 1 "$n" | xargs -P "$p" -I{} curl -s -o /dev/null -w '%{http_code}\n' "${auth[@]}" \
  "$base/v1/conversations/$conv/messages" -d '{"text":"message {}"}' | sort | uniq -c | tr -s ' ' | tr '\n' ' ')
end=$(date +%s.%N)
count=$(curl -sf "${auth[@]}" "$base/v1/conversations/$conv" | sed -E 's/.*"message_count":([0-9]+).*/\1/')
printf 'n=%s p=%s statuses: %s wall=%.2fs message_count=%s\n' "$n" "$p" "$codes" "$(echo "$end - $start" | bc)" "$count"
