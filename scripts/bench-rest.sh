#!/usr/bin/env bash
# REST throughput with wrk (Debian package `wrk`), 16 keep-alive connections, 1 KiB payloads:
# single publishes, batch publishes (100 per request), then batch receives (100 per request,
# auto-ack) draining what the batch run stored. Usage: scripts/bench-rest.sh [extra server flags...]
# Starts its own server on a free port with a scratch data directory; stops it at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=mom-server/target/mom-server.jar
SECS=${SECS:-15}
WORK=$(mktemp -d /tmp/mom-bench-rest.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
MOM_ADMIN_PASSWORD=bench-admin-pass java -jar "$JAR" --http-port="$PORT" --grpc-port=0 --data-dir="$WORK/data" "$@" \
  > "$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
URL=http://127.0.0.1:$PORT
for _ in $(seq 1 120); do curl -sf "$URL/healthz" >/dev/null && break; sleep 0.5; done
TOKEN=$(curl -s -X POST "$URL/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"username":"admin","password":"bench-admin-pass"}' | sed -E 's/.*"token":"([^"]+)".*/\1/')
curl -s -o /dev/null -X PUT "$URL/v1/queues/bench" -H "Authorization: Bearer $TOKEN"
python3 - "$TOKEN" "$WORK" <<'PY'
import sys
tok, work = sys.argv[1], sys.argv[2]
p = 'x' * 1024
hdr = f'wrk.headers["Content-Type"] = "application/json"\nwrk.headers["Authorization"] = "Bearer {tok}"\nwrk.method = "POST"\n'
open(f'{work}/pub.lua', 'w').write(hdr + f"wrk.body = '{{\"payload\":\"{p}\"}}'\n")
batch = '{"messages":[' + ','.join(['{"payload":"%s"}' % p] * 100) + ']}'
open(f'{work}/batch.lua', 'w').write(hdr + f"wrk.body = '{batch}'\n")
open(f'{work}/recv.lua', 'w').write(hdr + "wrk.body = '{\"max\":100,\"waitMs\":0,\"autoAck\":true}'\n")
PY
depth() { curl -s "$URL/v1/queues/bench" -H "Authorization: Bearer $TOKEN" | sed -E 's/.*"depth":([0-9]+).*/\1/'; }
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
wrk -t2 -c16 -d5s -s "$WORK/pub.lua" "$URL/v1/queues/bench/messages" >/dev/null   # warm-up
echo "== single publish (1 KiB), 16 connections, ${SECS}s"
wrk -t2 -c16 -d"${SECS}s" -s "$WORK/pub.lua" "$URL/v1/queues/bench/messages" | grep -E 'Requests/sec|Latency|Non-2xx'
echo "== batch publish (100 x 1 KiB), 16 connections, ${SECS}s"
wrk -t2 -c16 -d"${SECS}s" -s "$WORK/batch.lua" "$URL/v1/queues/bench/messages" | grep -E 'Requests/sec|Latency|Non-2xx'
before=$(depth)
start=$(date +%s.%N)
echo "== batch receive (max 100, auto-ack), 16 connections, 10s; depth before: $before"
wrk -t2 -c16 -d10s -s "$WORK/recv.lua" "$URL/v1/queues/bench/receive" | grep -E 'Requests/sec|Latency|Non-2xx'
end=$(date +%s.%N)
after=$(depth)
python3 -c "print('received msgs/s: %d (depth %d -> %d)' % (($before-$after)/($end-$start), $before, $after))"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
