#!/usr/bin/env bash
# Makes a real sosreport of another host: Debian's sos runs inside the mount namespace of a
# private libvirtd (scripts/libvirt-host.sh) that sees a sysfs dump's devices/system/{cpu,node}
# instead of this machine's, with the given guests defined (never started). So lscpu, numactl -H,
# the sysfs copies, `virsh capabilities`, `virsh dumpxml` and /etc/libvirt/qemu/*.xml in the
# report are what sos really writes for that host. Needs root (mount namespaces) and sos.
#
#   scripts/make-sosreport.sh OUT_DIR SYSFS_ROOT [GUEST_XML …]    prints the report's path
#
# SOS_COMPRESSION=gzip|xz (default xz, sos's own default) picks the archive's compression.
set -euo pipefail

[ $# -ge 2 ] || { echo "usage: $0 OUT_DIR SYSFS_ROOT [GUEST_XML …]" >&2; exit 2; }
out=$1 sysfs=$2
shift 2
[ "$(id -u)" -eq 0 ] || { echo "make-sosreport: needs root (mount namespace)" >&2; exit 1; }
command -v sos >/dev/null || { echo "make-sosreport: sos missing (scripts/setup.sh installs sosreport)" >&2; exit 1; }
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)
state=$(mktemp -d "${TMPDIR:-/tmp}/numascope-sos-libvirt.XXXXXX")
trap '"$here/libvirt-host.sh" stop "$state"; rm -rf "$state"' EXIT

uri=$("$here/libvirt-host.sh" start "$state" "$sysfs")
for guest in "$@"; do
  virsh -q -c "$uri" define "$guest" >/dev/null
done

# sos before 4.5 keeps virsh's commands in a plugin of their own; later ones fold it into libvirt.
# host writes the hostname file that names the host, as in every full report.
plugins=processor,numa,pci,libvirt,host
if sos report -l 2>/dev/null | grep -qE '^ *virsh '; then plugins+=,virsh; fi
# Inside the daemon's namespace /etc/libvirt, /run/libvirt and /sys/devices/system are the
# dumped host's; virsh's default root URI reaches the private daemon through /run/libvirt.
before=$(ls "$out")
nsenter -m -t "$(cat "$state/libvirtd.pid")" \
  sos report --batch --quiet -o "$plugins" -z "${SOS_COMPRESSION:-xz}" --tmp-dir "$out" --label numascope >/dev/null
report=$(comm -13 <(echo "$before") <(ls "$out") | grep -E '^sosreport-.*\.tar\.(xz|gz)$' | head -n 1)
[ -n "$report" ] || { echo "make-sosreport: sos wrote no report into $out" >&2; exit 1; }
echo "$out/$report"
