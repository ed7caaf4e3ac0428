#!/bin/bash
# A/B of two rencai builds over HTTP on the same data. Both servers run at once, pinned to
# core 0 (each with its own copy of a demo data folder: rencai demo --jobs 100000 --resumes
# 2000; a build with another index schema rebuilds its copy on start), and wrk on core 1 asks
# them turn about, 3 s each, so a machine whose speed drifts by the minute affects both alike.
# 16 connections, the eight words of `rencai-bench http` in rotation, the API and the HTML page.
# Prints every round's req/s, the medians and the median of the paired ratios (B over A).
#
#   ab-http.sh BINARY_A DATA_DIR_A BINARY_B DATA_DIR_B [ROUNDS]
#
# SETTLE (seconds, default 8) is how long both are left to finish their start-up work
# (statistics, expiry, merges) first: at a million jobs that is about a minute.
set -euo pipefail
bin_a=$1; dir_a=$2; bin_b=$3; dir_b=$4; rounds=${5:-8}
lua=$(mktemp -d)
words='"%E4%BC%9A%E8%AE%A1","%E5%8F%B8%E6%9C%BA","%E9%94%80%E5%94%AE","%E6%9C%8D%E5%8A%A1%E5%91%98","%E5%8E%A8%E5%B8%88","%E4%BB%93%E5%BA%93","%E6%99%AE%E5%B7%A5","%E6%96%87%E5%91%98"'
for t in "api /api/v1/jobs?q= &per_page=20" "html /jobs?q= "; do
  set -- $t
  printf 'local w = {%s}\nlocal i = 0\nrequest = function()\n  i = i %% #w + 1\n  return wrk.format("GET", "%s" .. w[i] .. "%s")\nend\n' \
    "$words" "$2" "${3:-}" > "$lua/$1.lua"
done
pids=()
start() {
  RENCAI__DATA_DIR=$2 RENCAI__MODE=demo RENCAI__LOG__LEVEL=warn RENCAI__MARKET__ANONYMOUS_LIST_PAGES_PER_HOUR=0 \
    taskset -c 0 "$1" serve --listen "127.0.0.1:$3" > /dev/null 2>&1 &
  pids+=($!)
  for _ in $(seq 1 240); do curl -s -o /dev/null -w "%{http_code}" "http://127.0.0.1:$3/healthz" | grep -q 200 && return; sleep 0.5; done
  echo "the server on port $3 did not start" >&2; exit 1
}
trap 'kill "${pids[@]}" 2>/dev/null; rm -rf "$lua"' EXIT
start "$bin_a" "$dir_a" 18080
start "$bin_b" "$dir_b" 18081
sleep "${SETTLE:-8}" # let start-up work (statistics, merges) settle
rps() { taskset -c 1 wrk -t1 -c16 -d"$2" -s "$lua/$1.lua" "http://127.0.0.1:$3" | awk '/Requests\/sec/{print $2}'; }
for page in api html; do
  rps "$page" 2s 18080 > /dev/null; rps "$page" 2s 18081 > /dev/null
  a=(); b=()
  for _ in $(seq 1 "$rounds"); do a+=("$(rps "$page" 3s 18080)"); b+=("$(rps "$page" 3s 18081)"); done
  echo "$page A: ${a[*]}"
  echo "$page B: ${b[*]}"
  python3 -c '
import statistics as s, sys
a = [float(x) for x in sys.argv[2].split()]; b = [float(x) for x in sys.argv[3].split()]
print("%s median A %.0f, B %.0f req/s; B/A paired %.2f" % (sys.argv[1], s.median(a), s.median(b), s.median([y / x for x, y in zip(a, b)])))
' "$page" "${a[*]}" "${b[*]}"
done
