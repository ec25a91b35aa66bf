/**
 * Shared by the sosreport and collector tests: two small guests to define on a dumped host, and
 * what must agree between two Hosts read from different files of one machine.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatIdList } from '../../src/core/cpuset.ts';
import type { Host } from '../../src/core/host/model.ts';

/** A minimal domain, pinned 1:1 to `cpus`, its memory bound to `node`: what an operator defines. */
export function guestXml(name: string, cpus: number[], node: number): string {
  const pins = cpus.map((cpu, vcpu) => `    <vcpupin vcpu='${vcpu}' cpuset='${cpu}'/>`).join('\n');
  return `<domain type='kvm'>
  <name>${name}</name>
  <memory unit='GiB'>2</memory>
  <vcpu placement='static'>${cpus.length}</vcpu>
  <cputune>
${pins}
  </cputune>
  <numatune>
    <memory mode='strict' nodeset='${node}'/>
  </numatune>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
  </os>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
  </devices>
</domain>
`;
}

export interface GuestSpec {
  name: string;
  cpus: number[];
  node: number;
}

/** Write the guests' XML into `dir`; returns the files. */
export function writeGuests(dir: string, guests: readonly GuestSpec[]): string[] {
  return guests.map((g) => {
    const file = join(dir, `${g.name}.xml`);
    writeFileSync(file, guestXml(g.name, g.cpus, g.node));
    return file;
  });
}

/** The machine as numascope draws it: what two readings of one host must agree on. */
export function shape(host: Host) {
  return {
    cpus: formatIdList(host.cpus.map((c) => c.id)),
    online: formatIdList(host.cpus.filter((c) => c.online !== false).map((c) => c.id)),
    packages: host.packages.map((p) => formatIdList(p.cpus)),
    cores: host.cores.map((c) => formatIdList(c.cpus)),
    nodes: host.nodes.map((n) => ({ id: n.id, cpus: formatIdList(n.cpus), memoryKiB: n.memoryKiB })),
    distances: host.distances,
  };
}
