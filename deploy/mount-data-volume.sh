#!/usr/bin/env bash
# Prepares the EBS volume that holds a MOM node's data (RocksDB store, generated secrets): formats it only
# if it holds no file system yet, mounts it by UUID through /etc/fstab (with nofail, so a missing volume
# never blocks the boot) at /var/lib/mom, and mounts it now. Run as root, once per node, before the first
# start of mom.service. Idempotent: a volume that already has a file system is never formatted again.
#
#   sudo deploy/mount-data-volume.sh /dev/nvme1n1 [/var/lib/mom]
#
# MOM_FS_TYPE=ext4 chooses ext4 instead of xfs. For tests: --fstab FILE writes the entry to FILE and
# --no-mount skips mounting.
set -euo pipefail

fstab=/etc/fstab
do_mount=yes
fs="${MOM_FS_TYPE:-xfs}"
positional=()
while [ $# -gt 0 ]; do
  case "$1" in
    --fstab) fstab="${2:?--fstab needs a file}"; shift 2 ;;
    --no-mount) do_mount=no; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    -*) echo "mount-data-volume.sh: unknown option $1" >&2; exit 2 ;;
    *) positional+=("$1"); shift ;;
  esac
done
device="${positional[0]:-}"
target="${positional[1]:-/var/lib/mom}"
if [ -z "$device" ] || [ ! -e "$device" ]; then
  echo "mount-data-volume.sh: give the volume's device, such as /dev/nvme1n1 (see lsblk)" >&2
  exit 2
fi
case "$fs" in xfs|ext4) ;; *) echo "mount-data-volume.sh: MOM_FS_TYPE must be xfs or ext4" >&2; exit 2 ;; esac

if existing="$(blkid -p -s TYPE -o value "$device" 2>/dev/null)" && [ -n "$existing" ]; then
  echo "$device already holds a $existing file system: kept as it is"
  fs="$existing"
else
  echo "Formatting $device as $fs"
  "mkfs.$fs" -q "$device"
fi
uuid="$(blkid -p -s UUID -o value "$device")"
if [ -z "$uuid" ]; then
  echo "mount-data-volume.sh: no UUID on $device after formatting" >&2
  exit 1
fi
if grep -q "^UUID=$uuid " "$fstab" 2>/dev/null; then
  echo "$fstab already mounts UUID=$uuid"
else
  echo "UUID=$uuid $target $fs defaults,noatime,nofail 0 2" >> "$fstab"
  echo "Added UUID=$uuid $target to $fstab"
fi
mkdir -p "$target"
if [ "$do_mount" = yes ]; then
  mountpoint -q "$target" || mount "$target"
  echo "Mounted $device at $target"
fi
