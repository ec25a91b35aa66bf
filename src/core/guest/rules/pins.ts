/** <cputune>: vcpupin, emulatorpin and iothreadpin against the vCPU count and the host's CPUs. */
import { formatIdList } from '../../cpuset.ts';
import type { Diagnostic } from '../../diagnostics.ts';
import type { Host } from '../../host/model.ts';
import { reportedDistance } from './distances.ts';
import { type LayoutRule, VCPUPIN_PATH, layoutDiagnostic } from './rule.ts';
import { memoryHomes } from '../../host/memory-home.ts';

/** libvirt drops a vcpupin for a vCPU beyond <vcpu> with this warning rather than failing. */
export const pinnedVcpuExists: LayoutRule = (layout) =>
  layout.pins
    .filter((p) => p.vcpu >= layout.vcpus || p.vcpu < 0)
    .map((p) => layoutDiagnostic('warning', VCPUPIN_PATH(p.vcpu), 'Ignoring vcpupin for missing vcpus'));

export const onePinPerVcpu: LayoutRule = (layout) => {
  const seen = new Set<number>();
  const out: Diagnostic[] = [];
  for (const p of layout.pins) {
    if (seen.has(p.vcpu)) out.push(layoutDiagnostic('error', VCPUPIN_PATH(p.vcpu), `duplicate vcpupin for vcpu '${p.vcpu}'`));
    seen.add(p.vcpu);
  }
  return out;
};

export const pinCpusetGiven: LayoutRule = (layout) =>
  layout.pins.filter((p) => p.cpus.length === 0).map((p) => layoutDiagnostic('error', VCPUPIN_PATH(p.vcpu), "Failed to parse bitmap ''"));

function offline(host: Host, cpus: readonly number[]): number[] {
  const online = new Set(host.cpus.filter((c) => c.online).map((c) => c.id));
  return cpus.filter((c) => !online.has(c));
}

/** The kernel refuses an affinity with no online CPU and silently ignores offline ones. */
export const pinsOnOnlineCpus: LayoutRule = (layout, host) => {
  if (!host) return [];
  const out: Diagnostic[] = [];
  const check = (path: string, what: string, cpus: readonly number[]) => {
    const bad = offline(host, cpus);
    if (bad.length > 0)
      out.push(layoutDiagnostic('error', path, `${what} is pinned to host CPUs ${formatIdList(bad)}, which are not online CPUs of this host`));
  };
  for (const p of layout.pins) check(VCPUPIN_PATH(p.vcpu), `vCPU ${p.vcpu}`, p.cpus);
  check('/domain/cputune/emulatorpin', 'the emulator', layout.emulatorpin);
  for (const p of layout.iothreadpins) check(`/domain/cputune/iothreadpin[@iothread='${p.iothread}']`, `iothread ${p.iothread}`, p.cpus);
  return out;
};

/** Two vCPUs pinned one-to-one on the same host CPU take turns on it. */
export const oneToOnePinsDistinct: LayoutRule = (layout) => {
  const owner = new Map<number, number>();
  const out: Diagnostic[] = [];
  for (const p of layout.pins) {
    if (p.cpus.length !== 1) continue;
    const cpu = p.cpus[0];
    const first = owner.get(cpu);
    if (first !== undefined)
      out.push(layoutDiagnostic('warning', VCPUPIN_PATH(p.vcpu), `vCPUs ${first} and ${p.vcpu} are both pinned to host CPU ${cpu}`));
    else owner.set(cpu, p.vcpu);
  }
  return out;
};

/** A vCPU that runs on a node its cell's memory is not on pays the remote distance on every access. */
export const pinsNearTheirMemory: LayoutRule = (layout, host) => {
  if (!host) return [];
  const nodeOfCpu = new Map(host.cpus.map((c) => [c.id, c.node]));
  // A memoryless node's memory is its home's (host/memory-home.ts): binding there is as near as it gets.
  const homes = memoryHomes(host);
  const out: Diagnostic[] = [];
  for (const p of layout.pins) {
    const cell = layout.cells.find((c) => c.vcpus.includes(p.vcpu));
    if (!cell || cell.hostNodes.length === 0) continue;
    const nodes = [...new Set(p.cpus.map((c) => nodeOfCpu.get(c)).filter((n) => n !== undefined))];
    const far = nodes.filter((n) => !cell.hostNodes.includes(homes.get(n) ?? n));
    if (far.length === 0) continue;
    const d = reportedDistance(host, far[0], cell.hostNodes[0]);
    out.push(
      layoutDiagnostic(
        'warning',
        VCPUPIN_PATH(p.vcpu),
        `vCPU ${p.vcpu} runs on host node ${far.join(',')} but cell ${cell.id}'s memory is on node ${formatIdList(cell.hostNodes)}` +
          (d !== undefined ? ` (distance ${d})` : ''),
      ),
    );
  }
  return out;
};
