#!/usr/bin/env bash
# Starts a private libvirtd that believes it runs on another host: inside its own mount
# namespace, a sysfs dump's devices/system/{node,cpu} are bind-mounted over the real ones, so
# libvirt's NUMA checks (virsh domxml-to-native refuses host nodes it cannot see) and
# `virsh capabilities` describe the dumped host, not this machine. Several daemons can run at
# once: each gets its own /etc/libvirt, /run/libvirt, /var/lib/libvirt and /var/log/libvirt
# under STATE_DIR; only the QEMU capability cache (/var/cache/libvirt) is shared, so QEMU is
# probed once per machine rather than once per daemon. Needs root (mount namespaces).
#
#   scripts/libvirt-host.sh start STATE_DIR [SYSFS_ROOT]   prints the connection URI
#   scripts/libvirt-host.sh stop STATE_DIR
#
# SYSFS_ROOT holds sys/devices/system/{node,cpu} (a corpus dump or a generated tree); without
# it the daemon sees this machine. A daemon left behind by a killed test run exits by itself
# after 60 s without clients (libvirtd -t). Connect with: virsh -c "$(cat STATE_DIR/uri)" …
set -euo pipefail

usage() {
  echo "usage: $0 start STATE_DIR [SYSFS_ROOT] | stop STATE_DIR" >&2
  exit 2
}

start() {
  local state=$1 sysfs=${2:-}
  [ "$(id -u)" -eq 0 ] || { echo "libvirt-host: needs root (mount namespace, system libvirtd)" >&2; exit 1; }
  command -v libvirtd >/dev/null || { echo "libvirt-host: libvirtd missing (scripts/setup.sh installs it)" >&2; exit 1; }
  if [ -n "$sysfs" ]; then
    local d
    for d in node cpu; do
      [ -d "$sysfs/sys/devices/system/$d" ] || { echo "libvirt-host: $sysfs has no sys/devices/system/$d" >&2; exit 1; }
    done
  fi
  mkdir -p "$state"/{etc,run,lib,log} /var/cache/libvirt
  state=$(cd "$state" && pwd)
  cat >"$state/etc/libvirtd.conf" <<'EOF'
unix_sock_group = "root"
unix_sock_rw_perms = "0700"
auth_unix_rw = "none"
auth_unix_ro = "none"
log_outputs = "3:stderr"
EOF
  # The guests are never started: no security driver, no cgroup setup, run as root.
  # hugetlbfs mounts (private to the namespace) let hugepage-backed cells be checked too.
  mkdir -p "$state/hugepages-2M" "$state/hugepages-1G"
  cat >"$state/etc/qemu.conf" <<EOF
user = "root"
group = "root"
security_driver = "none"
hugetlbfs_mount = ["$state/hugepages-2M", "$state/hugepages-1G"]
EOF
  # libvirt 9 resolves its built-in QEMU user (Debian: libvirt-qemu) before it reads qemu.conf;
  # libvirt-daemon-system would create it, but also starts services. A private passwd/group
  # in the namespace gives libvirtd the names without touching the real ones.
  cp /etc/passwd "$state/etc/passwd"
  cp /etc/group "$state/etc/group"
  grep -q '^libvirt-qemu:' "$state/etc/passwd" || echo 'libvirt-qemu:x:64055:64055::/var/lib/libvirt:/usr/sbin/nologin' >>"$state/etc/passwd"
  grep -q '^libvirt-qemu:' "$state/etc/group" || echo 'libvirt-qemu:x:64055:' >>"$state/etc/group"
  grep -q '^kvm:' "$state/etc/group" || echo 'kvm:x:64056:' >>"$state/etc/group"
  rm -f "$state/libvirtd.pid" "$state/run/libvirt-sock"
  local sysfs_mounts=""
  if [ -n "$sysfs" ]; then
    sysfs=$(cd "$sysfs" && pwd)
    sysfs_mounts="mount --bind '$sysfs/sys/devices/system/node' /sys/devices/system/node
mount --bind '$sysfs/sys/devices/system/cpu' /sys/devices/system/cpu"
  fi
  # --propagation private: nothing mounted here leaks back to the real host.
  unshare -m --propagation private sh -e -c "
mkdir -p /etc/libvirt /run/libvirt /var/lib/libvirt /var/log/libvirt
mount --bind '$state/etc' /etc/libvirt
mount --bind '$state/etc/passwd' /etc/passwd
mount --bind '$state/etc/group' /etc/group
mount --bind '$state/run' /run/libvirt
mount --bind '$state/lib' /var/lib/libvirt
mount --bind '$state/log' /var/log/libvirt
$sysfs_mounts
mount -t hugetlbfs -o pagesize=2M none '$state/hugepages-2M'
mount -t hugetlbfs -o pagesize=1G none '$state/hugepages-1G'
exec libvirtd -d -t 60 -p '$state/libvirtd.pid' -f /etc/libvirt/libvirtd.conf
" 2>>"$state/log/libvirtd.stderr"
  # The socket appears once the drivers (QEMU capabilities included) are initialised.
  local i
  for i in $(seq 1 300); do
    if [ -S "$state/run/libvirt-sock" ] && virsh -c "qemu:///system?socket=$state/run/libvirt-sock" version >/dev/null 2>&1; then
      echo "qemu:///system?socket=$state/run/libvirt-sock" >"$state/uri"
      cat "$state/uri"
      return 0
    fi
    sleep 0.1
  done
  echo "libvirt-host: libvirtd did not come up in 30 s; its log:" >&2
  cat "$state/log/libvirtd.stderr" >&2 || true
  stop "$state"
  exit 1
}

stop() {
  local state=$1 pid i
  [ -f "$state/libvirtd.pid" ] || return 0
  pid=$(cat "$state/libvirtd.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for i in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  fi
  rm -f "$state/libvirtd.pid" "$state/uri"
}

case "${1:-}" in
  start) [ $# -ge 2 ] || usage; start "$2" "${3:-}" ;;
  stop) [ $# -eq 2 ] || usage; stop "$2" ;;
  *) usage ;;
esac
