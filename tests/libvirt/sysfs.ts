/**
 * A sysfs tree (sys/devices/system/{node,cpu}) written from a Host, for hosts we only have as
 * pastes (the talk's host) and for guests (what their kernel would expose): libvirtd and
 * numactl read exactly these files. Only what they read is written.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatIdList } from '../../src/core/cpuset.ts';
import type { Host } from '../../src/core/host/model.ts';

export function writeSysfs(host: Host, root: string): string {
  rmSync(root, { recursive: true, force: true });
  const system = join(root, 'sys/devices/system');
  const file = (path: string, text: string) => {
    const full = join(system, path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, text.endsWith('\n') ? text : `${text}\n`);
  };
  const nodeIds = host.nodes.map((n) => n.id);
  const cpuIds = host.cpus.map((c) => c.id);
  const maxCpu = Math.max(0, ...cpuIds);
  file('node/possible', formatIdList(nodeIds));
  file('node/online', formatIdList(nodeIds));
  file('node/has_cpu', formatIdList(host.nodes.filter((n) => n.cpus.length > 0).map((n) => n.id)));
  file('node/has_memory', formatIdList(host.nodes.filter((n) => (n.memoryKiB ?? 0) > 0).map((n) => n.id)));
  file('node/has_normal_memory', formatIdList(host.nodes.filter((n) => (n.memoryKiB ?? 0) > 0).map((n) => n.id)));
  host.nodes.forEach((node, i) => {
    const dir = `node/node${node.id}`;
    file(`${dir}/cpulist`, formatIdList(node.cpus));
    file(`${dir}/cpumap`, hexMask(node.cpus, maxCpu));
    const row = host.distances[i] ?? host.nodes.map((_, j) => (i === j ? 10 : 20));
    file(`${dir}/distance`, row.join(' '));
    const kib = node.memoryKiB ?? 0;
    const free = node.freeKiB ?? kib;
    file(`${dir}/meminfo`, [`Node ${node.id} MemTotal:       ${kib} kB`, `Node ${node.id} MemFree:        ${free} kB`, `Node ${node.id} MemUsed:        ${kib - free} kB`].join('\n'));
    for (const page of node.hugepages) {
      const pages = `${dir}/hugepages/hugepages-${page.sizeKiB}kB`;
      file(`${pages}/nr_hugepages`, `${page.total}`);
      file(`${pages}/free_hugepages`, `${page.free ?? page.total}`);
    }
  });
  const online = host.cpus.filter((c) => c.online).map((c) => c.id);
  file('cpu/possible', `0-${maxCpu}`);
  file('cpu/present', formatIdList(cpuIds));
  file('cpu/online', formatIdList(online));
  file('cpu/offline', formatIdList(cpuIds.filter((id) => !online.includes(id))));
  for (const cpu of host.cpus) {
    const dir = `cpu/cpu${cpu.id}`;
    file(`${dir}/online`, cpu.online ? '1' : '0');
    if (!cpu.online) continue;
    const core = cpu.core === undefined ? undefined : host.cores[cpu.core];
    const packageCpus = host.packages.find((p) => p.id === cpu.package)?.cpus ?? [cpu.id];
    file(`${dir}/topology/physical_package_id`, `${cpu.package ?? 0}`);
    file(`${dir}/topology/die_id`, `${cpu.die ?? 0}`);
    file(`${dir}/topology/core_id`, `${core?.osId ?? core?.index ?? cpu.id}`);
    file(`${dir}/topology/thread_siblings_list`, formatIdList(cpu.siblings));
    file(`${dir}/topology/core_cpus_list`, formatIdList(cpu.siblings));
    file(`${dir}/topology/thread_siblings`, hexMask(cpu.siblings, maxCpu));
    file(`${dir}/topology/core_siblings_list`, formatIdList(packageCpus));
    file(`${dir}/topology/core_siblings`, hexMask(packageCpus, maxCpu));
    file(`${dir}/topology/package_cpus_list`, formatIdList(packageCpus));
  }
  return root;
}

/** The kernel's cpumask text: 32-bit hex words, most significant first, wide enough for maxCpu. */
function hexMask(ids: readonly number[], maxCpu: number): string {
  const words = new Array<number>(Math.floor(maxCpu / 32) + 1).fill(0);
  for (const id of ids) words[Math.floor(id / 32)] |= 1 << id % 32;
  return words
    .reverse()
    .map((w) => (w >>> 0).toString(16).padStart(8, '0'))
    .join(',');
}
