#!/usr/bin/env bash
# Runs a local MOM cluster on this machine: one ZooKeeper (from the server's fat jar) and 3 nodes.
#
#   scripts/local-cluster.sh up          start ZooKeeper on 2181 and nodes n1..n3
#                                        (REST 8081..8083, gRPC 9091..9093, data in .local-cluster/)
#   scripts/local-cluster.sh down        stop the nodes (SIGTERM, graceful) and ZooKeeper
#   scripts/local-cluster.sh kill NODE   kill -9 one node (n1, n2 or n3) to watch a failover
#   scripts/local-cluster.sh start NODE  start one node again
#   scripts/local-cluster.sh status      show which processes run
#
# Needs mom-server/target/mom-server.jar (mvn -B -o -pl mom-server -am package -DskipTests).
# Environment: MOM_ADMIN_PASSWORD (default: admin-password), MOM_ZK_SESSION_TIMEOUT (default: 3s);
# LOCAL_CLUSTER_DIR, LOCAL_CLUSTER_ZK_PORT (2181), LOCAL_CLUSTER_HTTP_BASE (808 -> 8081..),
# LOCAL_CLUSTER_GRPC_BASE (909 -> 9091..) move the files and ports. These are not passed to the nodes.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JAR="$ROOT/mom-server/target/mom-server.jar"
DIR="${LOCAL_CLUSTER_DIR:-$ROOT/.local-cluster}"
ZK_PORT="${LOCAL_CLUSTER_ZK_PORT:-2181}"
NODES=(n1 n2 n3)

die() { echo "local-cluster: $*" >&2; exit 1; }

[[ -f "$JAR" ]] || die "missing $JAR; build it with: mvn -B -o -pl mom-server -am package -DskipTests"

running() { [[ -f "$DIR/$1.pid" ]] && kill -0 "$(cat "$DIR/$1.pid")" 2>/dev/null; }

start_zk() {
  mkdir -p "$DIR/zk-data"
  cat > "$DIR/zoo.cfg" <<CFG
tickTime=500
dataDir=$DIR/zk-data
clientPort=$ZK_PORT
admin.enableServer=false
4lw.commands.whitelist=ruok,stat
CFG
  if running zk; then echo "zookeeper already running"; return; fi
  java -cp "$JAR" org.apache.zookeeper.server.ZooKeeperServerMain "$DIR/zoo.cfg" > "$DIR/zk.log" 2>&1 &
  echo $! > "$DIR/zk.pid"
  echo "zookeeper on 127.0.0.1:$ZK_PORT (log $DIR/zk.log)"
}

start_node() {
  local node="$1" i="${1#n}"
  running "$node" && { echo "$node already running"; return; }
  mkdir -p "$DIR/$node"
  env -u LOCAL_CLUSTER_DIR -u LOCAL_CLUSTER_ZK_PORT -u LOCAL_CLUSTER_HTTP_BASE -u LOCAL_CLUSTER_GRPC_BASE \
  MOM_NODE_ID="$node" MOM_ZK_CONNECT="127.0.0.1:$ZK_PORT" MOM_CLUSTER=local \
  MOM_HTTP_PORT="${LOCAL_CLUSTER_HTTP_BASE:-808}$i" MOM_GRPC_PORT="${LOCAL_CLUSTER_GRPC_BASE:-909}$i" MOM_DATA_DIR="$DIR/$node" \
  MOM_ADMIN_PASSWORD="${MOM_ADMIN_PASSWORD:-admin-password}" \
  MOM_ZK_SESSION_TIMEOUT="${MOM_ZK_SESSION_TIMEOUT:-3s}" \
    java -jar "$JAR" > "$DIR/$node.log" 2>&1 &
  echo $! > "$DIR/$node.pid"
  echo "$node: REST http://127.0.0.1:${LOCAL_CLUSTER_HTTP_BASE:-808}$i  gRPC 127.0.0.1:${LOCAL_CLUSTER_GRPC_BASE:-909}$i  (log $DIR/$node.log)"
}

stop() {
  local name="$1" signal="${2:-TERM}"
  if running "$name"; then kill "-$signal" "$(cat "$DIR/$name.pid")"; fi
  rm -f "$DIR/$name.pid"
}

case "${1:-}" in
  up)
    mkdir -p "$DIR"
    start_zk
    for node in "${NODES[@]}"; do start_node "$node"; done
    echo "wait for: curl -s http://127.0.0.1:${LOCAL_CLUSTER_HTTP_BASE:-808}1/healthz"
    ;;
  down)
    for node in "${NODES[@]}"; do stop "$node"; done
    sleep 1
    stop zk
    ;;
  kill)
    [[ -n "${2:-}" ]] || die "usage: $0 kill NODE"
    stop "$2" KILL
    echo "killed $2 (kill -9)"
    ;;
  start)
    [[ -n "${2:-}" ]] || die "usage: $0 start NODE"
    start_node "$2"
    ;;
  status)
    for name in zk "${NODES[@]}"; do
      if running "$name"; then echo "$name: running (pid $(cat "$DIR/$name.pid"))"; else echo "$name: stopped"; fi
    done
    ;;
  *)
    die "usage: $0 up|down|kill NODE|start NODE|status"
    ;;
esac
