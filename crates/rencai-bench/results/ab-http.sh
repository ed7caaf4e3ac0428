#!/bin/bash
# A/B of two rencai builds over HTTP on the same data, run turn about so a drifting machine
# affects both alike. Each run: `rencai serve` on core 0 with its own copy of a demo data
# folder (rencai demo --jobs 100000 --resumes 2000), wrk on core 1, 16 connections, the eight
# words of `rencai-bench http` in rotation; prints req/s of the API and of the HTML page.
#
#   ab-http.sh BINARY DATA_DIR LABEL
set -euo pipefail
bin=$1; dir=$2; label=$3
lua=$(mktemp -d)
words='"%E4%BC%9A%E8%AE%A1","%E5%8F%B8%E6%9C%BA","%E9%94%80%E5%94%AE","%E6%9C%8D%E5%8A%A1%E5%91%98","%E5%8E%A8%E5%B8%88","%E4%BB%93%E5%BA%93","%E6%99%AE%E5%B7%A5","%E6%96%87%E5%91%98"'
for t in "api /api/v1/jobs?q= &per_page=20" "html /jobs?q= "; do
  set -- $t
  printf 'local w = {%s}\nlocal i = 0\nrequest = function()\n  i = i %% #w + 1\n  return wrk.format("GET", "%s" .. w[i] .. "%s")\nend\n' \
    "$words" "$2" "${3:-}" > "$lua/$1.lua"
done
RENCAI__DATA_DIR=$dir RENCAI__MODE=demo RENCAI__LOG__LEVEL=warn RENCAI__MARKET__ANONYMOUS_LIST_PAGES_PER_HOUR=0 \
  taskset -c 0 "$bin" serve --listen 127.0.0.1:18080 > /dev/null 2>&1 &
pid=$!
for _ in $(seq 1 240); do curl -s -o /dev/null -w "%{http_code}" http://127.0.0.1:18080/healthz | grep -q 200 && break; sleep 0.5; done
taskset -c 1 wrk -t1 -c16 -d3s -s "$lua/api.lua" http://127.0.0.1:18080 > /dev/null
api=$(taskset -c 1 wrk -t1 -c16 -d8s -s "$lua/api.lua" http://127.0.0.1:18080 | awk '/Requests\/sec/{print $2}')
html=$(taskset -c 1 wrk -t1 -c16 -d8s -s "$lua/html.lua" http://127.0.0.1:18080 | awk '/Requests\/sec/{print $2}')
echo "$label api16=$api html16=$html"
kill $pid; wait $pid 2>/dev/null || true
rm -rf "$lua"
