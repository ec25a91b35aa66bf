/**
 * The collector: one shell line a person runs on a KVM host (as root) and pastes whole into
 * numascope — or saves to a file for `numascope check`. Each output follows a `$ command` line,
 * which the paste splitter (split.ts) cuts at and readPaste() (bundle.ts) uses to take out the
 * guests' domain XML and the running guests' memory. Tools the host lacks are left out, not errors.
 * lstopo gets --whole-system (hwloc 2's --disallowed): run in a cgroup or under taskset it would
 * otherwise leave out the CPUs it may not use.
 */

/** The tools whose output describes the host, in the order printed. */
export const COLLECTED_HOST_COMMANDS = ['lscpu -e', 'numactl -H', 'lspci -tv', 'lstopo-no-graphics --whole-system --of xml', 'virsh capabilities'] as const;

/** Which guest each running QEMU is (numastat names processes, not guests). */
export const PID_FILES_COMMAND = 'grep -Hs . /run/libvirt/qemu/*.pid';

/** Shown in the app with a copy button, and in the README. POSIX sh: runs under bash, dash, zsh. */
export const COLLECTOR = [
  `for c in ${COLLECTED_HOST_COMMANDS.map((c) => `'${c}'`).join(' ')}; do command -v "\${c%% *}" >/dev/null && { printf '$ %s\\n' "$c"; $c; echo; }; done`,
  `command -v virsh >/dev/null && for d in $(virsh list --all --name); do printf '$ virsh dumpxml %s\\n' "$d"; virsh dumpxml "$d"; done`,
  `printf '$ ${PID_FILES_COMMAND}\\n'; ${PID_FILES_COMMAND}`,
  `command -v numastat >/dev/null && { printf '$ numastat -c qemu\\n'; numastat -c qemu; }`,
].join('; ');
