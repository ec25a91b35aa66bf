/** Shared summaries for comparing hwloc facts across formats (XML, lstopo text, synthetic), and dumps for the peer to read. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostFacts } from '../../src/core/host/facts.ts';
import { dumpRoot } from '../support/corpus.ts';

export interface Summary {
  pus: number;
  online: string;
  packages: number;
  cores: number;
  nodes: string;
  pciWithNode: number;
}

/** What must agree between two views of one machine; cores are counted as SMT sibling groups. */
export function summary(f: HostFacts): Summary {
  const on = f.cpus.filter((c) => c.online);
  const onIds = new Set(on.map((c) => c.id));
  return {
    pus: on.length,
    online: on.map((c) => c.id).join(','),
    packages: new Set(on.map((c) => c.package)).size,
    cores: new Set(on.map((c) => (c.siblings ?? [c.id]).join(','))).size,
    nodes: f.nodes
      .map((n) => ({ id: n.id, cpus: (n.cpus ?? []).filter((c) => onIds.has(c)) }))
      .filter((n) => n.cpus.length > 0 || onIds.size === f.cpus.length)
      .map((n) => `${n.id}:${n.cpus.join(',')}`)
      .join(' '),
    pciWithNode: f.pci.filter((p) => !p.isBridge && p.node !== undefined).length,
  };
}

/** Node memory agrees within what the coarser printout can round away. */
export function memoryAgrees(exact: HostFacts, printed: HostFacts, tolerance: number): boolean {
  return exact.nodes.every((n) => {
    const p = printed.nodes.find((q) => q.id === n.id);
    if (!p || n.memoryKiB === undefined) return p === undefined || p.memoryKiB === undefined;
    return p.memoryKiB !== undefined && Math.abs(p.memoryKiB - n.memoryKiB) <= Math.max(2, n.memoryKiB * tolerance);
  });
}

export function errors(f: HostFacts): string[] {
  return f.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line}: ${d.message}`);
}

/**
 * A corpus dump as a container sees it: the same sysfs, but lstopo's own process in a cpuset
 * cgroup (v2) of CPUs 0-7 and node 0, the files hwloc's Linux backend reads for allowed_cpuset.
 */
export function dumpInContainer(): string {
  const root = join(mkdtempSync(join(tmpdir(), 'numascope-container-')), 'fsroot');
  execFileSync('cp', ['-r', dumpRoot('hwloc-linux', '32intel64-2p8co2t+8ve.tar.bz2'), root]);
  writeFileSync(join(root, 'proc/mounts'), 'cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec 0 0\n');
  writeFileSync(join(root, 'proc/self/cpuset'), '/container\n');
  mkdirSync(join(root, 'sys/fs/cgroup/container'), { recursive: true });
  writeFileSync(join(root, 'sys/fs/cgroup/cgroup.controllers'), 'cpuset cpu memory\n');
  writeFileSync(join(root, 'sys/fs/cgroup/container/cpuset.cpus.effective'), '0-7\n');
  writeFileSync(join(root, 'sys/fs/cgroup/container/cpuset.mems.effective'), '0\n');
  return root;
}
