#!/usr/bin/env bash
# gRPC and REST end-to-end figures with mom-perf-test.jar against a fresh server with its default store (RocksDB):
# 1 producer / 1 consumer, 1 KiB, publisher confirms (--confirm 500) and consumer acks (--prefetch 500),
# first at full speed, then paced to 1,000 msgs/s for the latency; then the same full-speed run over REST.
# Usage: scripts/bench-grpc.sh [extra server flags...]   (DURATION and WARMUP in seconds; defaults 35 and 5)
# Builds nothing: run `mvn -B -q -DskipTests -pl mom-server,examples -am package` first.
set -euo pipefail
cd "$(dirname "$0")/.."
SERVER_JAR=mom-server/target/mom-server.jar
PERF_JAR=examples/target/mom-perf-test.jar
DURATION=${DURATION:-35}
WARMUP=${WARMUP:-5}
WORK=$(mktemp -d /tmp/mom-bench-grpc.XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
HTTP=$(free_port); GRPC=$(free_port)
MOM_ADMIN_PASSWORD=bench-admin-pass java -jar "$SERVER_JAR" --http-port="$HTTP" --grpc-port="$GRPC" \
  --data-dir="$WORK/data" "$@" > "$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$HTTP/healthz" >/dev/null && break; sleep 0.5; done
grep -E 'listening|node_started' "$WORK/server.log" | sed -E 's/.*thread=[^ ]+ //'
perf() {
  echo "== $*"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  timeout $((DURATION + 60)) java -jar "$PERF_JAR" --username admin --password bench-admin-pass \
    --producers 1 --consumers 1 --size 1024 --confirm 500 --prefetch 500 \
    --duration "$DURATION" --warmup "$WARMUP" "$@" | tail -1
  echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
}
perf --url "grpc://127.0.0.1:$GRPC" --queue bench-grpc
perf --url "grpc://127.0.0.1:$GRPC" --queue bench-grpc-rate --rate 1000
perf --url "http://127.0.0.1:$HTTP" --queue bench-http
perf --url "http://127.0.0.1:$HTTP" --queue bench-http-rate --rate 1000
