#!/usr/bin/env bash
# Installs everything the whole test suite needs on a fresh Debian machine, and nothing twice:
# on a machine that has it all this takes about a second. Needs root (or sudo) only when a
# Debian package is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests call as peers or need to run. Append yours here, one per line,
# with the reason. `a|b` names one package that releases call differently: the first that is
# installed, or else the first apt knows, is taken.
DEBIAN_PACKAGES=(
  chromium     # Playwright e2e drives Debian's Chromium (/usr/bin/chromium)
  hwloc        # lstopo-no-graphics / hwloc-calc: peer for hwloc XML and lstopo ingest
  numactl      # numactl: peer for numactl -H ingest
  pciutils     # lspci: peer for lspci ingest
  util-linux   # lscpu: peer for lscpu ingest (lscpu -s on corpus dumps)
  bzip2        # corpus sysfs dumps are .tar.bz2
  xz-utils     # corpus archives compressed with xz
  tar          # unpacks the corpus sysfs dumps
  bsdutils     # script: runs lscpu on a pseudo-terminal for its sectioned output
  libvirt-clients  # virsh: peer for virsh capabilities ingest (test:///default driver)
  libvirt-daemon   # libvirt's drivers behind virsh
  python3-nova     # OpenStack Nova's numa_fit_instance_to_host: the partition benchmark's peer (shared/tools/nova-peer.py)
  libvirt-daemon-driver-qemu  # libvirtd's QEMU driver: the judge tier's virsh define / domxml-to-native (tests/libvirt)
  qemu-system-x86  # the emulator libvirt probes for capabilities before it translates a domain (tests/libvirt)
  libxml2-utils    # xmllint, which virt-xml-validate runs (tests/libvirt)
  zbar-tools       # zbarimg: a real QR decoder reads the presenter's permalink code (e2e/present.spec.ts)
  'sosreport|sos'  # sos (Debian 12 calls it sosreport, later releases sos): makes the real sosreports the sosreport reader is tested on (scripts/make-sosreport.sh)
)

say() { printf 'setup: %s\n' "$*"; }

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# One of `a|b`: the installed one, or else the first this release's apt knows (b when neither).
pick() {
  local name names
  IFS='|' read -ra names <<<"$1"
  for name in "${names[@]}"; do installed "$name" && { echo "$name"; return; }; done
  for name in "${names[@]}"; do apt-cache show "$name" >/dev/null 2>&1 && { echo "$name"; return; }; done
  echo "${names[-1]}"
}

install_debian_packages() {
  local missing=() p
  for p in "${DEBIAN_PACKAGES[@]}"; do
    p=$(pick "$p")
    installed "$p" || missing+=("$p")
  done
  if ((${#missing[@]} == 0)); then
    say "Debian packages present (${#DEBIAN_PACKAGES[@]})"
    return
  fi
  if ! command -v apt-get >/dev/null; then
    say "missing ${missing[*]} and no apt-get: install them by hand (this suite expects Debian 12 or later)" >&2
    exit 1
  fi
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then sudo=(sudo -n); fi
  export DEBIAN_FRONTEND=noninteractive
  say "installing ${missing[*]}"
  # An apt cache that has never been filled cannot install anything: update first then;
  # otherwise try the cache as it is and update only if that fails (stale package lists).
  if [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -e '^lock$' -e '^partial$' -e '^auxfiles$' || true)" ]; then
    "${sudo[@]}" apt-get update -q
  fi
  if ! "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null; then
    "${sudo[@]}" apt-get update -q
    "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
  fi
}

install_npm_packages() {
  # `npm ls` passes when node_modules satisfies package.json: then there is nothing to do, and
  # not running `npm ci` keeps node_modules intact for anyone else using this checkout.
  if [ -d node_modules ] && npm ls --depth=0 >/dev/null 2>&1; then
    say "npm packages present"
    return
  fi
  if [ -f package-lock.json ]; then
    say "npm ci"
    npm ci --no-audit --no-fund
  else
    say "npm install"
    npm install --no-audit --no-fund
  fi
}

install_debian_packages
install_npm_packages
say "ready"
