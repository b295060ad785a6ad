#!/usr/bin/env bash
# Installs a MOM node on one host (run as root): the jar under /opt/mom, mom.service, /etc/mom/mom.env from
# the example (never overwriting an existing one) and the system user mom. With --zookeeper ID it installs
# a ZooKeeper ensemble member instead: the jar, zookeeper.service, /etc/zookeeper/zoo.cfg from the example
# (never overwriting), /var/lib/zookeeper/myid and the system user zookeeper. Idempotent.
#
#   sudo deploy/install.sh [--zookeeper ID] path/to/mom-server.jar
#
# With --root DIR everything is written under DIR instead of / and the steps that change the running
# system (users, ownership, systemctl) are skipped and listed; the tests use it to check the layout.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
root=""
zk_id=""
jar=""
while [ $# -gt 0 ]; do
  case "$1" in
    --root) root="${2:?--root needs a directory}"; shift 2 ;;
    --zookeeper) zk_id="${2:?--zookeeper needs the member id (1-255)}"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    -*) echo "install.sh: unknown option $1" >&2; exit 2 ;;
    *) jar="$1"; shift ;;
  esac
done
if [ -z "$jar" ] || [ ! -f "$jar" ]; then
  echo "install.sh: give the path of mom-server.jar (build it with: mvn -B package -DskipTests)" >&2
  exit 2
fi
if [ -n "$zk_id" ] && ! [[ "$zk_id" =~ ^[0-9]+$ && "$zk_id" -ge 1 && "$zk_id" -le 255 ]]; then
  echo "install.sh: --zookeeper takes a member id from 1 to 255" >&2
  exit 2
fi
if [ -z "$root" ] && [ "$(id -u)" -ne 0 ]; then
  echo "install.sh: run as root (or with --root DIR to stage the files)" >&2
  exit 2
fi

skipped=()
system() { # runs a command that changes the live system, or records it when staging under --root
  if [ -n "$root" ]; then skipped+=("$*"); else "$@"; fi
}

install -d -m 0755 "$root/opt/mom" "$root/opt/mom/docs/deploy" "$root/etc/systemd/system"
install -m 0644 "$jar" "$root/opt/mom/mom-server.jar"
install -m 0644 "$repo/docs/configuration.md" "$root/opt/mom/docs/configuration.md"
install -m 0644 "$repo/docs/deploy/aws.md" "$root/opt/mom/docs/deploy/aws.md"

if [ -n "$zk_id" ]; then
  install -m 0644 "$here/systemd/zookeeper.service" "$root/etc/systemd/system/zookeeper.service"
  install -d -m 0755 "$root/etc/zookeeper"
  if [ ! -e "$root/etc/zookeeper/zoo.cfg" ]; then
    install -m 0644 "$here/zookeeper/zoo.cfg.example" "$root/etc/zookeeper/zoo.cfg"
    echo "Wrote /etc/zookeeper/zoo.cfg from the example: put your three hosts in it."
  fi
  install -d -m 0750 "$root/var/lib/zookeeper"
  echo "$zk_id" > "$root/var/lib/zookeeper/myid"
  if ! getent passwd zookeeper >/dev/null 2>&1 || [ -n "$root" ]; then
    system useradd --system --user-group --home-dir /var/lib/zookeeper --no-create-home --shell /usr/sbin/nologin zookeeper
  fi
  system chown -R zookeeper:zookeeper /var/lib/zookeeper
else
  install -m 0644 "$here/systemd/mom.service" "$root/etc/systemd/system/mom.service"
  install -d -m 0750 "$root/etc/mom" "$root/etc/mom/tls"
  if [ ! -e "$root/etc/mom/mom.env" ]; then
    install -m 0640 "$here/systemd/mom.env.example" "$root/etc/mom/mom.env"
    echo "Wrote /etc/mom/mom.env from the example: edit it before starting mom."
  fi
  if ! getent passwd mom >/dev/null 2>&1 || [ -n "$root" ]; then
    system useradd --system --user-group --home-dir /var/lib/mom --no-create-home --shell /usr/sbin/nologin mom
  fi
  system chgrp -R mom /etc/mom
fi

system systemctl daemon-reload
if [ -n "$root" ]; then
  echo "Staged under $root; skipped on the live system:"
  printf '  %s\n' "${skipped[@]}"
else
  if [ -n "$zk_id" ]; then
    echo "Installed ZooKeeper member $zk_id. Next: check /etc/zookeeper/zoo.cfg, then: systemctl enable --now zookeeper"
  else
    echo "Installed. Next: edit /etc/mom/mom.env, put the TLS files in /etc/mom/tls, then: systemctl enable --now mom"
  fi
fi
