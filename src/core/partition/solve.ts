/**
 * The vNUMA generator (DESIGN.md §3): from a host, a request and what other guests hold, the
 * guest's cells, topology, pins, memory binding and distances, with a score and the reasons.
 */
import { formatIdList, parseIdList, sortIds } from '../cpuset.ts';
import { diagnosticSink, hasErrors } from '../diagnostics.ts';
import type { DiagnosticSink } from '../diagnostics.ts';
import type { DevicePolicy, GuestCell, GuestDevice, GuestLayout, LayoutResult, LayoutScore, VcpuPin } from '../guest/model.ts';
import type { Host } from '../host/model.ts';
import { formatKiB } from '../units.ts';
import { freeHugepages, nodeCapacities, placeableCount, placeableGroups } from './capacity.ts';
import type { CoreUse, NodeCapacity } from './capacity.ts';
import { mapCells } from './cells.ts';
import type { CellBacking } from './cells.ts';
import { searchNodes } from './choose-nodes.ts';
import { coresByNode } from './cores.ts';
import { guestDistanceRows, hostDistance } from './distances.ts';
import type { DistanceOf } from './distances.ts';
import { distributeVcpus } from './distribute.ts';
import { memoryGranule, splitMemory } from './memory.ts';
import { evenShares, pinFloating, pinOneToOne } from './pin.ts';
import { NO_OCCUPANCY, pinningOf } from './request.ts';
import type { Occupancy, PartitionRequest } from './request.ts';
import { distanceCost, roundCost, smtShared } from './score.ts';
import { fillCpuCells, placeOnTiers, roomOf, tierCandidates, tierOrder, roomTotal, tierSentence } from './tiers.ts';
import { guestThreads, guestTopology } from './topology.ts';

/** Up to this many eligible nodes the node search runs to the end and is exact. */
const EXACT_NODE_LIMIT = 16;
/** Search steps allowed above EXACT_NODE_LIMIT: a box counted in steps so results repeat. */
const ANYTIME_STEP_BUDGET = 4000;

/** Everything about the request that does not depend on which nodes are chosen. */
interface Shape {
  cells: number;
  vcpusPerCell: number;
  threads: number;
  guestCores: number;
  memories: number[];
  granule: number;
  hugepageSizeKiB?: number;
}

interface Chosen {
  nodes: number[];
  plan: Plan;
  use: CoreUse;
  optimal: boolean;
  gap: number;
  how: string;
}

interface Plan {
  backing: CellBacking[];
  /** Host CPU groups per cell (one per guest core, or per vCPU for loose threads). */
  groups: number[][][];
}

type PlanResult = { ok: true; plan: Plan } | { ok: false; reason: string };

export function solve(host: Host, request: PartitionRequest, occupancy: Occupancy = NO_OCCUPANCY): LayoutResult {
  const diags = diagnosticSink('partition');
  const explanation: string[] = [];
  const failed = (): LayoutResult => ({ layout: emptyLayout(request), score: emptyScore(), explanation, diagnostics: diags.list });

  if (!Number.isInteger(request.vcpus) || request.vcpus < 1) diags.error(undefined, `the guest needs a whole, positive number of vCPUs, not ${request.vcpus}`);
  if (!Number.isInteger(request.memoryKiB) || request.memoryKiB < 1) diags.error(undefined, `the guest needs a whole, positive amount of memory in KiB, not ${request.memoryKiB}`);
  if (request.cells !== undefined && (!Number.isInteger(request.cells) || request.cells < 1)) diags.error(undefined, `cells must be a whole number of at least 1, not ${request.cells}`);
  if (hasErrors(diags.list)) return failed();

  const cores = coresByNode(host);
  const distance = hostDistance(host);
  if (host.distances.length === 0 && host.nodes.length > 1) {
    diags.info(undefined, 'the host gave no node distances: assuming 10 within a node and 20 between nodes, as Linux does');
  }
  const cpuNodes = sortIds(host.nodes.filter((n) => (cores.get(n.id)?.length ?? 0) > 0).map((n) => n.id));
  const allowedSet = allowedNodes(host, request, cpuNodes, diags);
  if (!allowedSet) return failed();
  const { allowed, tiers } = allowedSet;
  const fixed = request.mode === 'host' && (request.nodeset !== undefined || request.cells === undefined) ? allowed : undefined;

  const tierKiB = tierMemoryOf(request, tiers, diags);
  if (tierKiB === undefined) return failed();
  const shape = shapeOf(host, request, request.memoryKiB - tierKiB, fixed ? fixed.length : 1, allowed, cores, diags);
  if (!shape) return failed();
  const devices = deviceNodes(host, request, allowed, diags);
  if (hasErrors(diags.list)) return failed();

  const pinning = pinningOf(request);
  const capacities = nodeCapacities(host, allowed, cores, request.reserve, occupancy);
  const strictUse: CoreUse = pinning === 'node-float' ? { kind: 'float' } : { kind: '1:1', threads: shape.threads, policy: request.threadPolicy };
  // Nova's prefer: siblings when they fit, any free threads when they do not.
  const looseUse: CoreUse | undefined = pinning === '1:1' && request.threadPolicy === 'prefer' && shape.threads > 1 ? { kind: 'threads' } : undefined;
  // Groups and their counts per node and core use, built only for the nodes a search asks about.
  const groupCache = new Map<string, number[][]>();
  const countCache = new Map<string, number>();
  const groupsFor = (use: CoreUse) => (node: number) => {
    const key = `${use.kind}/${node}`;
    let groups = groupCache.get(key);
    if (!groups) {
      groups = placeableGroups(capacities.get(node) as NodeCapacity, use);
      groupCache.set(key, groups);
    }
    return groups;
  };
  const countFor = (use: CoreUse) => (node: number) => {
    const key = `${use.kind}/${node}`;
    let count = countCache.get(key);
    if (count === undefined) {
      count = placeableCount(capacities.get(node) as NodeCapacity, use);
      countCache.set(key, count);
    }
    return count;
  };
  const place = (s: Shape): { chosen?: Chosen; reason: string } => {
    const planFor = (nodes: readonly number[], use: CoreUse) => planCells(nodes, s, use, capacities, groupsFor(use), distance);
    if (!fixed) {
      const found = searchAllSizes(request, s, allowed, devices, capacities, distance, strictUse, looseUse, countFor, planFor);
      return found ? { chosen: found, reason: '' } : { reason: `no set of nodes among ${formatIdList(allowed)} has room for it` };
    }
    let reason = '';
    for (const use of looseUse ? [strictUse, looseUse] : [strictUse]) {
      const result = planFor(fixed, use);
      if (result.ok) return { chosen: { nodes: fixed, plan: result.plan, use, optimal: true, gap: 0, how: fixedReason(request, fixed) }, reason };
      reason = result.reason;
    }
    return { reason };
  };

  const tierCaps = nodeCapacities(host, tiers, cores, request.reserve, occupancy);
  const roomOfNode = (n: number) => roomOf((capacities.get(n) ?? tierCaps.get(n)) as NodeCapacity, shape.hugepageSizeKiB);
  const tiersRoom = roomTotal(tiers, roomOfNode, shape.granule);
  let { chosen, reason } = place(shape);
  // Overflow (tiers.ts): the CPU cells ask only for what the tiers cannot take, then fill up to their share.
  let overflow = false;
  const cpuKiB = request.memoryKiB - tierKiB;
  if (!chosen && tiers.length > 0) {
    const least = Math.max(shape.cells * shape.granule, tiersRoom === null ? 0 : request.memoryKiB - tiersRoom);
    if (least < cpuKiB) {
      const relaxed = place({ ...shape, memories: splitMemory(least, shape.cells, shape.granule) });
      if (relaxed.chosen) {
        chosen = relaxed.chosen;
        overflow = true;
      }
    }
  }
  if (!chosen) {
    const cpuRoom = roomTotal(allowed, roomOfNode, shape.granule);
    const shortKiB = cpuRoom === null || tiersRoom === null ? 0 : request.memoryKiB - cpuRoom - tiersRoom;
    if (shortKiB > 0 && tiers.length > 0) {
      reason = `${plural('node', allowed.length)} ${formatIdList(allowed)} ${allowed.length === 1 ? 'has' : 'have'} ${formatKiB(cpuRoom as number)} free and memory-only ${plural('node', tiers.length)} ${formatIdList(tiers)} ${formatKiB(tiersRoom as number)}, ${formatKiB(shortKiB)} short`;
    }
    diags.error(undefined, `cannot place ${request.vcpus} vCPUs and ${formatKiB(request.memoryKiB)}: ${reason}`);
    for (const n of allowed) explanation.push(nodeSentence(host, capacities.get(n) as NodeCapacity, shape, []));
    return failed();
  }
  if (chosen.use.kind === 'threads') {
    diags.warning(undefined, `the nearest nodes with room lack ${shape.threads} free sibling threads on enough cores, so some guest SMT siblings are pinned to separate host cores`);
  }

  const { nodes, plan } = chosen;
  const memories = overflow ? fillCpuCells(plan.backing, shape.memories, shape.granule, roomOfNode) : shape.memories;
  const onTiers = request.memoryKiB - memories.reduce((sum, m) => sum + m, 0);
  const tierPlacement = placeOnTiers(onTiers, tierOrder(host, tiers, nodes, distance, roomOfNode), roomOfNode, shape.granule);
  if (!tierPlacement.ok) {
    diags.error(
      undefined,
      `cannot place ${formatKiB(onTiers)} on memory-only ${plural('node', tiers.length)} ${formatIdList(tiers)}: ${plural('it has', tiers.length, 'they have')} ${formatKiB(tiersRoom ?? 0)} free, ${formatKiB(tierPlacement.shortKiB)} short`,
    );
    return failed();
  }
  const vcpuCells = distributeVcpus(request.vcpus, shape.cells, request.distribution, shape.threads);
  const backingNodes = [...plan.backing.map((b) => b.nodes), ...tierPlacement.shares.map((t) => [t.node])];
  const cellMemories = [...memories, ...tierPlacement.shares.map((t) => t.kib)];
  const rows = guestDistanceRows(backingNodes.map((b) => b[0]), distance);
  const guestCells: GuestCell[] = backingNodes.map((b, i) => {
    const cell: GuestCell = {
      id: i,
      vcpus: vcpuCells[i] ?? [],
      memoryKiB: cellMemories[i],
      hostNodes: b,
      memoryMode: b.length > 1 ? 'interleave' : 'strict',
      distances: rows[i],
    };
    if (shape.hugepageSizeKiB) cell.hugepageSizeKiB = shape.hugepageSizeKiB;
    return cell;
  });
  const pins: VcpuPin[] = plan.backing
    .flatMap((b, i) =>
      chosen.use.kind === 'float'
        ? pinFloating(vcpuCells[i], b.nodes.flatMap((n) => placeableGroups(capacities.get(n) as NodeCapacity, { kind: 'float' }).flat()))
        : pinOneToOne(vcpuCells[i], plan.groups[i]),
    )
    .sort((a, b) => a.vcpu - b.vcpu);
  const emulatorpin = sortIds(nodes.flatMap((n) => (capacities.get(n) as NodeCapacity).reserved));
  const iothreadpins =
    emulatorpin.length > 0 ? Array.from({ length: request.iothreads ?? 0 }, (_, i) => ({ iothread: i + 1, cpus: [...emulatorpin] })) : [];
  const guestDevices: GuestDevice[] = devices.found.map((d) => ({
    bdf: d.bdf,
    cell: d.node === null ? null : (guestCells.find((c) => c.vcpus.length > 0 && c.hostNodes.includes(d.node as number))?.id ?? null),
    policy: d.policy,
  }));

  const layout: GuestLayout = {
    vcpus: request.vcpus,
    topology: guestTopology(shape.cells, shape.vcpusPerCell, shape.threads),
    cells: guestCells,
    pins,
    emulatorpin,
    iothreadpins,
    memoryKiB: request.memoryKiB,
    devices: guestDevices,
  };

  warnOvercommit(nodes, pins, capacities, diags);
  const sharedCpus = new Set(nodes.flatMap((n) => (capacities.get(n) as NodeCapacity).cores.filter((c) => c.shared).flatMap((c) => c.usable)));
  const pinByVcpu = new Map(pins.map((p) => [p.vcpu, p.cpus]));
  const coreGroups = vcpuCells.flatMap((vs) =>
    Array.from({ length: vs.length / shape.threads }, (_, k) => vs.slice(k * shape.threads, (k + 1) * shape.threads).flatMap((v) => pinByVcpu.get(v) ?? [])),
  );
  const cpuCells = guestCells.slice(0, shape.cells);
  const tierCells = guestCells.slice(shape.cells);
  // Memory-only cells run no vCPUs, so they carry no traffic weight in the cost (tiers.ts).
  const cost = distanceCost(cpuCells.map((c) => ({ vcpus: c.vcpus.length, nodes: c.hostNodes })), distance);
  const score: LayoutScore = {
    nodes: nodes.length + tierCells.length,
    distanceCost: cost,
    smtShared: smtShared(coreGroups, sharedCpus),
    optimal: chosen.optimal,
    gap: chosen.gap,
  };

  explanation.push(chosen.how);
  for (const n of nodes) explanation.push(nodeSentence(host, capacities.get(n) as NodeCapacity, shape, devices.found.filter((d) => d.node === n).map((d) => d.bdf)));
  explanation.push(`${plural('cell', shape.cells)} ${rangeText(0, shape.cells - 1)} on ${plural('node', nodes.length)} ${formatIdList(nodes)}: distance cost ${cost}`);
  if (overflow) {
    const text = `${plural('node', nodes.length)} ${formatIdList(nodes)} ${nodes.length === 1 ? 'lacks' : 'lack'} the free memory for ${formatKiB(cpuKiB)}: ${formatKiB(onTiers - tierKiB)} of it overflows to memory-only ${plural('node', tierCells.length)} ${formatIdList(tierCells.map((c) => c.hostNodes[0]))}`;
    diags.warning(undefined, text);
    explanation.push(text);
  } else if (tierKiB > 0) {
    explanation.push(`${formatKiB(tierKiB)} on memory-only ${plural('node', tierCells.length)} ${formatIdList(tierCells.map((c) => c.hostNodes[0]))}, as the request asks (nearest first)`);
  }
  for (const tier of tierCells) explanation.push(tierSentence(host, tier, cpuCells));
  if (emulatorpin.length > 0) {
    explanation.push(`CPUs ${formatIdList(emulatorpin)} left to the host${request.reserve === 'first-core' ? ' (first core of each node used)' : ''}: emulator${layout.iothreadpins.length > 0 ? ' and iothreads' : ''} pinned there`);
  }
  return { layout, score, explanation, diagnostics: diags.list };
}

/**
 * Host nodes the guest's vCPUs may use — the nodeset's (mode host: exactly those) or every node
 * with CPUs — and the memory-only nodes it may use as memory tiers, on the same terms.
 */
function allowedNodes(host: Host, request: PartitionRequest, cpuNodes: number[], diags: DiagnosticSink): { allowed: number[]; tiers: number[] } | undefined {
  if (request.nodeset === undefined) {
    if (cpuNodes.length === 0) {
      diags.error(undefined, 'the host has no online CPU in any NUMA node to place vCPUs on');
      return undefined;
    }
    return { allowed: cpuNodes, tiers: tierCandidates(host, undefined) };
  }
  const parsed = parseIdList(request.nodeset);
  if (!parsed.ok) {
    diags.error(undefined, `Invalid nodeset '${request.nodeset}': ${parsed.error}`);
    return undefined;
  }
  const tiers = tierCandidates(host, parsed.ids);
  for (const id of parsed.ids) {
    // libvirt's own text for a nodeset naming a node the host does not have.
    if (!host.nodes.some((n) => n.id === id)) diags.error(undefined, `NUMA node ${id} is unavailable`);
    else if (tiers.includes(id)) diags.info(undefined, `host node ${id} is memory-only: it can hold the guest's memory as a CPU-less cell, never its vCPUs`);
    else if (!cpuNodes.includes(id)) {
      const text = `host node ${id} has no online CPUs, so it cannot run vCPUs`;
      if (request.mode === 'host') diags.error(undefined, text);
      else diags.warning(undefined, `${text}; it is left out`);
    }
  }
  const allowed = parsed.ids.filter((id) => cpuNodes.includes(id));
  if (allowed.length === 0 && !hasErrors(diags.list)) diags.error(undefined, `nodeset '${request.nodeset}' names no host node with online CPUs`);
  return hasErrors(diags.list) ? undefined : { allowed, tiers };
}

/** The request's tierMemoryKiB, checked: whole KiB, less than the guest's memory, and a tier to hold it. */
function tierMemoryOf(request: PartitionRequest, tiers: readonly number[], diags: DiagnosticSink): number | undefined {
  const kib = request.tierMemoryKiB ?? 0;
  if (!Number.isInteger(kib) || kib < 0 || kib >= request.memoryKiB) {
    diags.error(undefined, `tier memory must be a whole number of KiB below the guest's ${formatKiB(request.memoryKiB)}, not ${kib}`);
    return undefined;
  }
  if (kib > 0 && tiers.length === 0) {
    diags.error(undefined, `${formatKiB(kib)} of tier memory asked, but ${request.nodeset === undefined ? 'the host has' : `nodeset '${request.nodeset}' names`} no memory-only node`);
    return undefined;
  }
  const granule = memoryGranule(request.hugepageSizeKiB);
  if (kib % granule !== 0) {
    diags.error(undefined, `${formatKiB(kib)} of tier memory is not a whole number of ${formatKiB(granule)}${request.hugepageSizeKiB === undefined ? '' : ' hugepages'}`);
    return undefined;
  }
  return kib;
}

/** `cpuMemoryKiB`: the part of the guest's memory its CPU cells hold (all of it but the tier memory). */
function shapeOf(
  host: Host,
  request: PartitionRequest,
  cpuMemoryKiB: number,
  fixedCount: number,
  allowed: readonly number[],
  cores: Map<number, number[][]>,
  diags: DiagnosticSink,
): Shape | undefined {
  const cells = request.cells ?? (request.mode === 'host' ? fixedCount : 1);
  if (request.vcpus % cells !== 0) {
    diags.error(undefined, `${request.vcpus} vCPUs do not split evenly into ${cells} cells`);
    return undefined;
  }
  const vcpusPerCell = request.vcpus / cells;
  const hostSmt = Math.min(...allowed.map((n) => Math.max(1, ...(cores.get(n) ?? []).map((c) => c.length))));
  if (pinningOf(request) === '1:1' && request.threadPolicy === 'require') {
    if (hostSmt < 2) {
      diags.error(undefined, `thread policy 'require' needs host cores with two or more threads; ${host.nodes.length > 1 ? 'these nodes' : 'this host'} have one`);
      return undefined;
    }
    if (request.distribution === 'round-robin' || vcpusPerCell < 2) {
      diags.error(undefined, `thread policy 'require' needs guest cores of two or more threads; ${request.distribution === 'round-robin' ? 'round-robin gives the guest one thread per core' : 'a cell has one vCPU'}`);
      return undefined;
    }
  }
  const threads = guestThreads(hostSmt, vcpusPerCell, request.distribution, request.threadPolicy);
  if (vcpusPerCell % threads !== 0) {
    diags.error(undefined, `${vcpusPerCell} vCPUs per cell are not a whole number of ${threads}-thread cores`);
    return undefined;
  }
  const granule = memoryGranule(request.hugepageSizeKiB);
  if (request.hugepageSizeKiB !== undefined && request.memoryKiB % request.hugepageSizeKiB !== 0) {
    diags.error(undefined, `${formatKiB(request.memoryKiB)} of memory is not a whole number of ${formatKiB(request.hugepageSizeKiB)} hugepages`);
    return undefined;
  }
  const memories = splitMemory(cpuMemoryKiB, cells, granule);
  if (memories[cells - 1] <= 0) {
    diags.error(undefined, `${formatKiB(cpuMemoryKiB)} is too little to give each of ${cells} cells a whole ${formatKiB(granule)}`);
    return undefined;
  }
  const shape: Shape = { cells, vcpusPerCell, threads, guestCores: vcpusPerCell / threads, memories, granule };
  if (request.hugepageSizeKiB !== undefined) shape.hugepageSizeKiB = request.hugepageSizeKiB;
  return shape;
}

interface DeviceNodes {
  found: { bdf: string; node: number | null; policy: DevicePolicy }[];
  required: number[];
  preferred: number[];
}

function deviceNodes(host: Host, request: PartitionRequest, allowed: readonly number[], diags: DiagnosticSink): DeviceNodes {
  const result: DeviceNodes = { found: [], required: [], preferred: [] };
  for (const d of request.devices) {
    const pci = host.pci.find((p) => p.bdf === d.bdf);
    if (!pci) {
      (d.policy === 'required' ? diags.error : diags.warning)(undefined, `device ${d.bdf} is not on this host`);
      continue;
    }
    result.found.push({ bdf: d.bdf, node: pci.node, policy: d.policy });
    if (pci.node === null) {
      diags.warning(undefined, `device ${d.bdf} has no known NUMA node, so it cannot steer the guest's placement`);
    } else if (!allowed.includes(pci.node)) {
      const text = `device ${d.bdf} is local to host node ${pci.node}, which the guest cannot use`;
      if (d.policy === 'required') diags.error(undefined, text);
      else diags.info(undefined, text);
    } else (d.policy === 'required' ? result.required : result.preferred).push(pci.node);
  }
  result.required = sortIds(result.required);
  result.preferred = sortIds(result.preferred);
  return result;
}

/** Exact fit of the guest on these nodes (ascending): cells, host cores per guest core, memory, pages. */
function planCells(
  nodes: readonly number[],
  shape: Shape,
  use: CoreUse,
  capacities: Map<number, NodeCapacity>,
  groupsOf: (node: number) => number[][],
  distance: DistanceOf,
): PlanResult {
  const mapping = mapCells(nodes, shape.cells, distance);
  if (!mapping.ok) return { ok: false, reason: mapping.error };
  const taken = new Map<number, number>();
  const memory = new Map<number, number>();
  const groups: number[][][] = [];
  const units = use.kind === 'threads' ? shape.vcpusPerCell : shape.guestCores;
  for (const b of mapping.cells) {
    const cellGroups: number[][] = [];
    const shares = evenShares(units, b.nodes.length);
    const memShares = splitMemory(shape.memories[b.cell], b.nodes.length, shape.granule);
    for (let j = 0; j < b.nodes.length; j++) {
      const node = b.nodes[j];
      const available = groupsOf(node);
      const from = taken.get(node) ?? 0;
      if (from + shares[j] > available.length) {
        return { ok: false, reason: `node ${node} has ${available.length} ${unitName(use, shape)} free for ${from + shares[j]}` };
      }
      cellGroups.push(...available.slice(from, from + shares[j]));
      taken.set(node, from + shares[j]);
      memory.set(node, (memory.get(node) ?? 0) + memShares[j]);
    }
    groups.push(cellGroups);
  }
  for (const [node, kib] of memory) {
    const cap = capacities.get(node) as NodeCapacity;
    if (cap.freeKiB !== null && kib > cap.freeKiB) return { ok: false, reason: `node ${node} has ${formatKiB(cap.freeKiB)} free for ${formatKiB(kib)}` };
    if (shape.hugepageSizeKiB !== undefined) {
      const pages = kib / shape.hugepageSizeKiB;
      const free = freeHugepages(cap, shape.hugepageSizeKiB);
      if (pages > free) return { ok: false, reason: `node ${node} has ${free} free ${formatKiB(shape.hugepageSizeKiB)} pages for ${pages}` };
    }
  }
  return { ok: true, plan: { backing: mapping.cells, groups } };
}

function unitName(use: CoreUse, shape: Shape): string {
  if (use.kind === 'threads') return 'threads';
  if (use.kind === '1:1' && shape.threads > 1) return `cores with ${shape.threads} free threads`;
  return 'cores';
}

/**
 * Fewest nodes first: the first node count with any fitting subset wins, whatever the SMT
 * packing — so a cell spans several nodes only when no single node can hold it. Under thread
 * policy prefer a node set that keeps guest siblings on host siblings wins only at the same
 * distance cost as the best set of any free threads.
 */
function searchAllSizes(
  request: PartitionRequest,
  shape: Shape,
  allowed: readonly number[],
  devices: DeviceNodes,
  capacities: Map<number, NodeCapacity>,
  distance: DistanceOf,
  strictUse: CoreUse,
  looseUse: CoreUse | undefined,
  countFor: (use: CoreUse) => (node: number) => number,
  planFor: (nodes: readonly number[], use: CoreUse) => PlanResult,
): Chosen | undefined {
  for (let k = 1; k <= allowed.length; k++) {
    if (shape.cells % k !== 0 && k % shape.cells !== 0) continue;
    const search = (use: CoreUse, ceiling?: number) => searchSize(k, use, ceiling);
    // Loose threads usually fit more sets, but not always (a cell over several nodes shares
    // out threads, not cores), so the sibling-keeping search runs even when the loose one fails.
    const loose = looseUse ? search(looseUse) : undefined;
    const strict = search(strictUse, loose?.result.pairCost);
    const found = strict ?? loose;
    if (!found) continue;
    const { result, eligible, use } = found;
    const planned = planFor(result.nodes, use);
    if (!planned.ok) continue;
    const factor = request.vcpus / (k * k);
    const gap = roundCost(factor * (result.pairCost - result.lowerBound));
    const how = result.optimal
      ? `${plural('node', k)} ${formatIdList(result.nodes)}: the fewest nodes (${k}) that fit, lowest distance cost among ${eligible} eligible ${plural('node', eligible)} (exact search, ${result.steps} steps)`
      : `${plural('node', k)} ${formatIdList(result.nodes)}: the fewest nodes (${k}) that fit; search of ${eligible} eligible nodes stopped after ${result.steps} steps, distance cost within ${gap} of the best`;
    return { nodes: result.nodes, plan: planned.plan, use, optimal: result.optimal, gap: result.optimal ? 0 : gap, how };
  }
  return undefined;

  function searchSize(k: number, use: CoreUse, ceiling: number | undefined) {
    const countOf = countFor(use);
    const units = use.kind === 'threads' ? shape.vcpusPerCell : shape.guestCores;
    const share = shape.memories[shape.cells - 1];
    const pagesOk = (cap: NodeCapacity, kib: number) =>
      shape.hugepageSizeKiB === undefined || freeHugepages(cap, shape.hugepageSizeKiB) * shape.hugepageSizeKiB >= kib;
    const memOk = (cap: NodeCapacity, kib: number) => (cap.freeKiB === null || cap.freeKiB >= kib) && pagesOk(cap, kib);
    const wholeCells = k <= shape.cells;
    // Per-node room for its share: exact when each node holds whole cells (only the node with
    // cell 0 also takes the split's remainder), a necessary bound when cells span nodes.
    const perNode = wholeCells ? shape.cells / k : k / shape.cells;
    const unitsNeed = wholeCells ? units * perNode : Math.floor(units / perNode);
    const memNeed = wholeCells ? share * perNode : Math.floor(share / perNode / shape.granule) * shape.granule;
    const firstExtra = shape.memories[0] - share;
    const eligible = allowed.filter((n) => countOf(n) >= unitsNeed && memOk(capacities.get(n) as NodeCapacity, memNeed));
    if (eligible.length < k) return undefined;
    // The k roomiest nodes together must hold the whole guest, or no k-subset can.
    const roomiest = (values: number[]) => values.sort((a, b) => b - a).slice(0, k).reduce((sum, v) => sum + v, 0);
    if (!wholeCells && roomiest(eligible.map(countOf)) < units * shape.cells) return undefined;
    const knownFree = eligible.map((n) => (capacities.get(n) as NodeCapacity).freeKiB);
    if (knownFree.every((f) => f !== null) && roomiest([...(knownFree as number[])]) < shape.memories.reduce((sum, m) => sum + m, 0)) return undefined;
    const accept = wholeCells
      ? (nodes: readonly number[]) => firstExtra === 0 || memOk(capacities.get(nodes[0]) as NodeCapacity, memNeed + firstExtra)
      : (nodes: readonly number[]) => planFor(nodes, use).ok;
    const result = searchNodes({
      size: k,
      eligible,
      required: devices.required,
      distance,
      free: knownFree.map((f) => f ?? 0),
      preferred: eligible.map((n) => devices.preferred.includes(n)),
      accept,
      stepBudget: eligible.length <= EXACT_NODE_LIMIT ? undefined : ANYTIME_STEP_BUDGET,
      ceiling,
    });
    return result ? { result, eligible: eligible.length, use } : undefined;
  }
}

function fixedReason(request: PartitionRequest, nodes: readonly number[]): string {
  return request.nodeset !== undefined
    ? `${plural('node', nodes.length)} ${formatIdList(nodes)}: as the nodeset '${request.nodeset}' names`
    : `${plural('node', nodes.length)} ${formatIdList(nodes)}: mode host mirrors every host node with CPUs`;
}

function nodeSentence(host: Host, cap: NodeCapacity, shape: Shape, devices: readonly string[]): string {
  const parts = [`${cap.cores.filter((c) => c.free.length === c.usable.length && !c.shared).length} free cores`];
  if (cap.freeKiB !== null) parts.push(`${formatKiB(cap.freeKiB)} free`);
  if (devices.length > 0) parts.push(`local to ${devices.join(', ')}`);
  if (shape.hugepageSizeKiB !== undefined) parts.push(`${freeHugepages(cap, shape.hugepageSizeKiB)} free ${formatKiB(shape.hugepageSizeKiB)} pages`);
  const kind = host.nodes.find((n) => n.id === cap.node)?.subtype;
  return `node ${cap.node}${kind ? ` (${kind})` : ''}: ${parts.join(', ')}`;
}

function warnOvercommit(nodes: readonly number[], pins: readonly VcpuPin[], capacities: Map<number, NodeCapacity>, diags: DiagnosticSink): void {
  const nodeOf = new Map<number, number>();
  for (const n of nodes) for (const c of (capacities.get(n) as NodeCapacity).cores) for (const cpu of c.usable) nodeOf.set(cpu, n);
  // A floating vCPU counts as a share of one on each CPU it may run on.
  const ours = new Map<number, number>();
  for (const p of pins) {
    for (const cpu of p.cpus) {
      const n = nodeOf.get(cpu);
      if (n !== undefined) ours.set(n, (ours.get(n) ?? 0) + 1 / p.cpus.length);
    }
  }
  for (const n of nodes) {
    const cap = capacities.get(n) as NodeCapacity;
    const cpus = cap.cores.reduce((sum, c) => sum + c.usable.length, 0);
    const load = Math.ceil((ours.get(n) ?? 0) + cap.guestLoad - 1e-9);
    if (load > cpus) diags.warning(undefined, `host is overcommitted: node ${n} runs ${load} vCPUs on ${cpus} CPUs`);
  }
}

function plural(word: string, count: number, many = `${word}s`): string {
  return count === 1 ? word : many;
}

function rangeText(from: number, to: number): string {
  return from === to ? `${from}` : `${from}-${to}`;
}

function emptyLayout(request: PartitionRequest): GuestLayout {
  const vcpus = Number.isInteger(request.vcpus) && request.vcpus > 0 ? request.vcpus : 0;
  return {
    vcpus,
    topology: { sockets: 1, dies: 1, clusters: 1, cores: vcpus, threads: 1 },
    cells: [],
    pins: [],
    emulatorpin: [],
    iothreadpins: [],
    memoryKiB: Number.isFinite(request.memoryKiB) ? request.memoryKiB : 0,
    devices: [],
  };
}

function emptyScore(): LayoutScore {
  return { nodes: 0, distanceCost: 0, smtShared: 0, optimal: false, gap: 0 };
}
