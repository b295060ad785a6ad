#!/usr/bin/env bash
# Three-node cluster figures with mom-perf-test.jar (see docs/benchmarks.md, "Cluster"): starts
# scripts/local-cluster.sh in a fresh directory, declares queue c3, then runs 1 producer / 1 consumer,
# 1 KiB, --confirm 500 --prefetch 500 over gRPC, first with the client on the queue's leader, then on
# the node that is neither leader nor replica (it forwards publishes and relays the push stream).
# Prints the load average before and after each run and the nodes' CPU time (utime + stime of the
# three node processes) over the run.
# Usage: scripts/bench-cluster.sh   (DURATION, WARMUP in seconds: defaults 25 and 5; SKIP_LEADER=1 or
# SKIP_FORWARDING=1 skip a run; PARTITIONS=N declares c3 with N partitions, spread over the nodes,
# and runs the client on n1 only; LOCAL_CLUSTER_* as in local-cluster.sh, defaults: a temporary directory
# and ports 22181, 18081..18083, 19091..19093)
# Builds nothing: run `mvn -B -q -o -DskipTests -pl mom-server,examples -am package` first.
set -uo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-25}
WARMUP=${WARMUP:-5}
export LOCAL_CLUSTER_DIR=${LOCAL_CLUSTER_DIR:-$(mktemp -d /tmp/mom-bench-cluster.XXXXXX)}
export LOCAL_CLUSTER_ZK_PORT=${LOCAL_CLUSTER_ZK_PORT:-22181}
export LOCAL_CLUSTER_HTTP_BASE=${LOCAL_CLUSTER_HTTP_BASE:-1808}
export LOCAL_CLUSTER_GRPC_BASE=${LOCAL_CLUSTER_GRPC_BASE:-1909}
HTTP=$LOCAL_CLUSTER_HTTP_BASE; GRPC=$LOCAL_CLUSTER_GRPC_BASE
scripts/local-cluster.sh up >/dev/null
trap 'scripts/local-cluster.sh down >/dev/null 2>&1' EXIT
for i in 1 2 3; do
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$HTTP$i/healthz" >/dev/null && break; sleep 0.5; done
done
sleep 2
TOKEN=$(curl -s -XPOST "127.0.0.1:${HTTP}1/v1/auth/login" -d '{"username":"admin","password":"admin-password"}' \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
PARTITIONS=${PARTITIONS:-1}
curl -s -XPUT "127.0.0.1:${HTTP}1/v1/queues/c3" -H "Authorization: Bearer $TOKEN" -d "{\"partitions\":$PARTITIONS}" >/dev/null
sleep 2
if [[ "$PARTITIONS" != 1 ]]; then
  curl -s "127.0.0.1:${HTTP}1/v1/cluster" -H "Authorization: Bearer $TOKEN" | python3 -c '
import json,sys
for p in json.load(sys.stdin)["placements"]:
    if p["destination"]=="c3": print("partition", p["partition"], "leader", p["leader"], "replicas", p["replicas"])'
  SKIP_FORWARDING=1
  LEADER=n1
else
read -r LEADER OTHER < <(curl -s "127.0.0.1:${HTTP}1/v1/cluster" -H "Authorization: Bearer $TOKEN" | python3 -c '
import json,sys
p=[p for p in json.load(sys.stdin)["placements"] if p["destination"]=="c3"][0]
copies=set(p["replicas"])|{p["leader"]}
print(p["leader"], [n for n in ["n1","n2","n3"] if n not in copies][0])')
echo "queue c3: leader $LEADER, forwarding node $OTHER"
fi
cpu() {
  local t=0 u s
  for n in n1 n2 n3; do read -r u s < <(cut -d' ' -f14,15 "/proc/$(cat "$LOCAL_CLUSTER_DIR/$n.pid")/stat"); t=$((t+u+s)); done
  echo $t
}
run() {
  local node=$1 c0 c1 t0 t1
  echo "== client on $node; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  c0=$(cpu); t0=$(date +%s.%N)
  timeout $((DURATION + 60)) java -jar examples/target/mom-perf-test.jar --url "grpc://127.0.0.1:$GRPC${node#n}" \
    --username admin --password admin-password --queue c3 --producers 1 --consumers 1 --size 1024 \
    --confirm 500 --prefetch 500 --duration "$DURATION" --warmup "$WARMUP" | tail -1
  c1=$(cpu); t1=$(date +%s.%N)
  echo "load after: $(cut -d' ' -f1-3 /proc/loadavg); nodes' CPU: $(python3 -c "print(round(($c1-$c0)/$(getconf CLK_TCK),1))") s in $(python3 -c "print(round($t1-$t0,1))") s"
}
[[ -n "${SKIP_LEADER:-}" ]] || run "$LEADER"
[[ -n "${SKIP_FORWARDING:-}" ]] || run "$OTHER"
