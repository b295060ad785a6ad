#!/usr/bin/env bash
# Makes a private certificate authority and one certificate per MOM node, for MOM_TLS_CERT, MOM_TLS_KEY and
# MOM_TLS_CA (HTTPS for clients, mutual TLS between nodes). Needs OpenSSL 1.1.1 or 3.x.
#
#   deploy/tls/make-certs.sh OUT_DIR NODE:NAME[,NAME...] [NODE:NAME[,NAME...] ...]
#   e.g. deploy/tls/make-certs.sh ./tls mom-1:mom-1.mom.internal,10.0.1.11 mom-2:mom-2.mom.internal,10.0.2.11
#
# Writes OUT_DIR/ca.crt and OUT_DIR/ca.key (kept if they exist: run again to add nodes), and for each node
# OUT_DIR/NODE/node.crt and OUT_DIR/NODE/node.key (EC P-256, unencrypted PKCS#8). Every NAME (a DNS name or
# an IP address) becomes a subject alternative name; clients must connect with one of them. Copy ca.crt and
# the node's two files to /etc/mom/tls/ on that node; keep ca.key offline.
set -euo pipefail

days="${MOM_CERT_DAYS:-825}"
out="${1:?usage: make-certs.sh OUT_DIR NODE:NAME[,NAME...] ...}"
shift
[ $# -gt 0 ] || { echo "make-certs.sh: name at least one NODE:NAME" >&2; exit 2; }
umask 077
mkdir -p "$out"

if [ ! -f "$out/ca.key" ]; then
  openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
    -keyout "$out/ca.key" -out "$out/ca.crt" -subj "/CN=MOM private CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  chmod 0644 "$out/ca.crt"
  echo "Created the CA: $out/ca.crt (keep $out/ca.key offline)"
fi

for spec in "$@"; do
  node="${spec%%:*}"
  names="${spec#*:}"
  if [ -z "$node" ] || [ "$node" = "$spec" ] || [ -z "$names" ]; then
    echo "make-certs.sh: expected NODE:NAME[,NAME...], got '$spec'" >&2
    exit 2
  fi
  san=""
  IFS=',' read -r -a list <<< "$names"
  for name in "${list[@]}"; do
    if [[ "$name" =~ ^[0-9.]+$ || "$name" == *:* ]]; then entry="IP:$name"; else entry="DNS:$name"; fi
    san="${san:+$san,}$entry"
  done
  dir="$out/$node"
  mkdir -p "$dir"
  ext="$(mktemp)"
  trap 'rm -f "$ext"' EXIT
  printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature,keyAgreement" \
    "extendedKeyUsage=serverAuth,clientAuth" "subjectAltName=$san" > "$ext"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$dir/node.key" \
    -out "$dir/node.csr" -subj "/CN=$node" 2>/dev/null
  openssl x509 -req -in "$dir/node.csr" -CA "$out/ca.crt" -CAkey "$out/ca.key" -CAcreateserial \
    -days "$days" -sha256 -extfile "$ext" -out "$dir/node.crt" 2>/dev/null
  rm -f "$dir/node.csr" "$ext"
  chmod 0644 "$dir/node.crt"
  chmod 0600 "$dir/node.key"
  echo "Created $dir/node.crt for $node ($san), valid $days days"
done
