/**
 * The vNUMA generator (DESIGN.md §3): from a host, a request and what other guests hold, the
 * guest's cells, topology, pins, memory binding and distances, with a score and the reasons.
 */
import { formatIdList, parseIdList, sortIds } from '../cpuset.ts';
import { diagnosticSink, hasErrors } from '../diagnostics.ts';
import type { DiagnosticSink } from '../diagnostics.ts';
import type { GuestCell, GuestDevice, GuestLayout, LayoutResult, LayoutScore, VcpuPin } from '../guest/model.ts';
import type { Host } from '../host/model.ts';
import { formatKiB, formatKiBApart } from '../units.ts';
import { freeHugepages, nodeCapacities, placeableCount, placeableGroups } from './capacity.ts';
import type { CoreUse, NodeCapacity } from './capacity.ts';
import { mapCells } from './cells.ts';
import { searchNodes } from './choose-nodes.ts';
import { coresByNode } from './cores.ts';
import { memoryHomes } from '../host/memory-home.ts';
import { hostDistance } from '../host/distance.ts';
import { guestDistanceRows } from './distances.ts';
import type { DistanceOf } from '../host/distance.ts';
import { dealVcpus, evenSizes } from './distribute.ts';
import { memoryGranule, splitMemory, splitMemoryBy, tooLittle } from './memory.ts';
import { MODE_RULES } from './modes.ts';
import { nodeGroups } from './node-groups.ts';
import { fitsRoom, plural, rankingFree, roomiest, stepBudget, unitsOf, type Chosen, type DeviceNodes, type PlanResult, type Shape } from './plan.ts';
import { evenShares, pinFloating, pinOneToOne } from './pin.ts';
import { NO_OCCUPANCY, pinningOf, reserveOf } from './request.ts';
import type { Occupancy, PartitionRequest, SolveResult, Suggestion } from './request.ts';
import { distanceCost, roundCost, smtShared } from './score.ts';
import { scoreParts } from './score-parts.ts';
import { fillCpuCells, placeOnTiers, roomOf, tierCandidates, tierOrder, roomTotal, tierSentence } from './tiers.ts';
import { searchAuto, type AutoSearch } from './search-auto.ts';
import { guestThreads, guestTopologyOf } from './topology.ts';
import { MAX_CELLS, MAX_MEMORY_KIB, MAX_VCPUS } from '../guest/limits.ts';
import { maxOf, minOf } from '../extremes.ts';

export function solve(host: Host, request: PartitionRequest, occupancy: Occupancy = NO_OCCUPANCY): SolveResult {
  const result = layOut(host, request, occupancy);
  if (!hasErrors(result.diagnostics) || MODE_RULES[request.mode].cells === 'per-node-spanned') return result;
  const suggestions = suggest(host, request, occupancy);
  return suggestions.length > 0 ? { ...result, suggestions } : result;
}

/**
 * Requests that lay the guest out when modes host and node refused it, tried for real: mode
 * auto, fewer cells, mode node.
 */
function suggest(host: Host, request: PartitionRequest, occupancy: Occupancy): Suggestion[] {
  const fits = (change: Partial<PartitionRequest>) => !hasErrors(layOut(host, { ...request, ...change }, occupancy).diagnostics);
  const out: Suggestion[] = [];
  const auto: Partial<PartitionRequest> = { mode: 'auto', cells: undefined, cellVcpus: undefined, cellMemoryKiB: undefined, pinning: undefined };
  if (fits(auto)) out.push({ text: 'mode auto: the fewest nodes that hold the guest, one cell per node', change: auto });
  const cells = request.cells ?? request.cellVcpus?.length ?? (MODE_RULES[request.mode].cells === 'mirror' ? mirroredCells(host, request) : 1);
  // One fewer, then halves: a few solves, not one per count on a host of hundreds of nodes.
  const fewerCounts = [...new Set([cells - 1, ...Array.from({ length: 10 }, (_, i) => Math.floor(cells / 2 ** (i + 1)))])].filter((c) => c >= 1);
  for (const c of fewerCounts) {
    const fewer: Partial<PartitionRequest> = { cells: c, cellVcpus: undefined, cellMemoryKiB: undefined };
    if (fits(fewer)) {
      out.push({ text: `${c} ${plural('cell', c)} instead of ${cells}`, change: fewer });
      break;
    }
  }
  if (MODE_RULES[request.mode].cells !== 'one') {
    const node: Partial<PartitionRequest> = { mode: 'node', cells: undefined, cellVcpus: undefined, cellMemoryKiB: undefined, pinning: undefined };
    if (fits(node)) out.push({ text: 'mode node: vCPUs float over whole nodes', change: node });
  }
  return out;
}

/** The cells mode host makes when none are asked for: one per node of the nodeset, or of the host. */
function mirroredCells(host: Host, request: PartitionRequest): number {
  if (request.nodeset !== undefined) {
    const parsed = parseIdList(request.nodeset);
    if (parsed.ok) return parsed.ids.length;
  }
  const cores = coresByNode(host);
  return host.nodes.filter((n) => (cores.get(n.id)?.length ?? 0) > 0).length;
}

function layOut(host: Host, request: PartitionRequest, occupancy: Occupancy): LayoutResult {
  const diags = diagnosticSink('partition');
  const explanation: string[] = [];
  const failed = (): LayoutResult => ({ layout: emptyLayout(request), score: emptyScore(), explanation, diagnostics: diags.list });

  if (!Number.isInteger(request.vcpus) || request.vcpus < 1) diags.error(undefined, `the guest needs a whole, positive number of vCPUs, not ${request.vcpus}`);
  if (!Number.isInteger(request.memoryKiB) || request.memoryKiB < 1) diags.error(undefined, `the guest needs a whole, positive amount of memory in KiB, not ${request.memoryKiB}`);
  if (request.cells !== undefined && (!Number.isInteger(request.cells) || request.cells < 1)) diags.error(undefined, `cells must be a whole number of at least 1, not ${request.cells}`);
  // What QEMU and libvirt take, checked before any count drives a loop (issue 18).
  if (request.vcpus > MAX_VCPUS) diags.error(undefined, `${request.vcpus} vCPUs are more than QEMU's largest machine takes (${MAX_VCPUS})`);
  const cellsAsked = request.cells ?? request.cellVcpus?.length ?? request.cellMemoryKiB?.length;
  if ((cellsAsked ?? 0) > MAX_CELLS) diags.error(undefined, `${cellsAsked} cells are more than QEMU's ${MAX_CELLS} NUMA nodes`);
  if (request.memoryKiB > MAX_MEMORY_KIB) diags.error(undefined, `${request.memoryKiB} KiB is more memory than libvirt can express`);
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
  const rule = MODE_RULES[request.mode];
  const fixed = rule.cells === 'mirror' && (request.nodeset !== undefined || cellsAsked === undefined) ? allowed : undefined;
  // Mode auto sizes its cells per node set: one cell for each node it spans.
  const perNodeSet = rule.cells === 'per-node-spanned' && cellsAsked === undefined;

  const tierKiB = tierMemoryOf(request, tiers, diags);
  if (tierKiB === undefined) return failed();
  const shape = shapeOf(host, request, request.memoryKiB - tierKiB, fixed ? fixed.length : 1, allowed, cores, diags);
  if (!shape) return failed();
  const devices = deviceNodes(host, request, allowed, diags);
  if (hasErrors(diags.list)) return failed();

  const pinning = pinningOf(request);
  const reserve = reserveOf(request);
  const capacities = nodeCapacities(host, allowed, cores, reserve, occupancy);
  const homes = memoryHomes(host);
  const homeNodes = [...new Set(allowed.map((n) => homes.get(n)).filter((n): n is number => n !== undefined && !capacities.has(n)))];
  const memory: MemoryPlaces = {
    homeOf: (n) => homes.get(n) ?? n,
    caps: homeNodes.length === 0 ? capacities : new Map([...capacities, ...nodeCapacities(host, homeNodes, cores, reserve, occupancy)]),
  };
  const strictUseOf = (threads: number): CoreUse => (pinning === 'node-float' ? { kind: 'float' } : { kind: '1:1', threads, policy: request.threadPolicy });
  // Nova's prefer: siblings when they fit, any free threads when they do not.
  const looseUseOf = (threads: number): CoreUse | undefined =>
    pinning === '1:1' && request.threadPolicy === 'prefer' && threads > 1 ? { kind: 'threads' } : undefined;
  const strictUse = strictUseOf(shape.threads);
  const looseUse = looseUseOf(shape.threads);
  // Groups and their counts per node and core use, built only for the nodes a search asks about.
  const groupCache = new Map<string, number[][]>();
  const countCache = new Map<string, number>();
  const useKey = (use: CoreUse, node: number) => `${use.kind}/${use.kind === '1:1' ? use.threads : ''}/${node}`;
  const groupsFor = (use: CoreUse) => (node: number) => {
    const key = useKey(use, node);
    let groups = groupCache.get(key);
    if (!groups) {
      groups = placeableGroups(capacities.get(node) as NodeCapacity, use);
      groupCache.set(key, groups);
    }
    return groups;
  };
  const countFor = (use: CoreUse) => (node: number) => {
    const key = useKey(use, node);
    let count = countCache.get(key);
    if (count === undefined) {
      count = placeableCount(capacities.get(node) as NodeCapacity, use);
      countCache.set(key, count);
    }
    return count;
  };
  // The nodes and plan for a shape, or why no nodes hold it.
  const place = (s: Shape): Chosen | string => {
    const planFor = (nodes: readonly number[], use: CoreUse) => planCells(nodes, s, use, memory, groupsFor(use), distance);
    if (perNodeSet) {
      const auto: AutoSearch = {
        request,
        template: s,
        allowed,
        groups: nodeGroups(host, allowed, distance),
        devices,
        capacities,
        memory,
        distance,
        hostSmt: hostSmtOf(allowed, cores),
        strictUseOf,
        looseUseOf,
        countFor,
        planFor: (nodes, shape, use) => planCells(nodes, shape, use, memory, groupsFor(use), distance),
      };
      return searchAuto(auto) ?? roomReason(allowed, capacities, s, countFor(looseUse ?? strictUse), looseUse ? 1 : s.threads);
    }
    if (!fixed) {
      return searchAllSizes(request, s, allowed, devices, memory, distance, strictUse, looseUse, countFor, planFor) ?? `no set of nodes among ${formatIdList(allowed)} has room for it`;
    }
    const strict = planFor(fixed, strictUse);
    const [use, result] = strict.ok || !looseUse ? [strictUse, strict] : [looseUse, planFor(fixed, looseUse)];
    return result.ok ? { nodes: fixed, plan: result.plan, shape: s, use, optimal: true, gap: 0, how: fixedReason(request, fixed) } : result.reason;
  };

  const tierCaps = nodeCapacities(host, tiers, cores, reserve, occupancy);
  const roomOfNode = (n: number) => roomOf((capacities.get(n) ?? tierCaps.get(n)) as NodeCapacity, shape.hugepageSizeKiB);
  const tiersRoom = roomTotal(tiers, roomOfNode, shape.granule);
  let placement = place(shape);
  // Overflow (tiers.ts): the CPU cells ask only for what the tiers cannot take, then fill up to their share.
  let overflow = false;
  const cpuKiB = request.memoryKiB - tierKiB;
  if (typeof placement === 'string' && tiers.length > 0) {
    const least = Math.max(shape.cells * shape.granule, tiersRoom === null ? 0 : request.memoryKiB - tiersRoom);
    if (least < cpuKiB) {
      const relaxed = place({ ...shape, memories: splitMemoryBy(least, shape.sizes, shape.granule) });
      if (typeof relaxed !== 'string') {
        placement = relaxed;
        overflow = true;
      }
    }
  }
  if (typeof placement === 'string') {
    const cpuRoom = roomTotal(allowed, roomOfNode, shape.granule);
    const shortKiB = cpuRoom === null || tiersRoom === null ? 0 : request.memoryKiB - cpuRoom - tiersRoom;
    const reason =
      shortKiB > 0 && tiers.length > 0
        ? `${plural('node', allowed.length)} ${formatIdList(allowed)} ${allowed.length === 1 ? 'has' : 'have'} ${formatKiB(cpuRoom as number)} free and memory-only ${plural('node', tiers.length)} ${formatIdList(tiers)} ${formatKiB(tiersRoom as number)}, ${formatKiB(shortKiB)} short`
        : placement;
    diags.error(undefined, `cannot place ${request.vcpus} vCPUs and ${formatKiB(request.memoryKiB)}: ${reason}`);
    for (const n of allowed) explanation.push(nodeSentence(host, capacities.get(n) as NodeCapacity, shape, []));
    return failed();
  }
  const chosen = placement;
  const { nodes, plan, shape: placed } = chosen;
  if (chosen.use.kind === 'threads') {
    diags.warning(undefined, `the nearest nodes with room lack ${placed.threads} free sibling threads on enough cores, so some guest SMT siblings are pinned to separate host cores`);
  }
  const wanted = overflow ? splitMemoryBy(cpuKiB, placed.sizes, placed.granule) : placed.memories;
  const memories = overflow ? fillCpuCells(plan.backing, wanted, placed.granule, roomOfNode) : placed.memories;
  const onTiers = request.memoryKiB - memories.reduce((sum, m) => sum + m, 0);
  const tierPlacement = placeOnTiers(onTiers, tierOrder(host, tiers, nodes, distance, roomOfNode), roomOfNode, shape.granule);
  if (!tierPlacement.ok) {
    diags.error(
      undefined,
      `cannot place ${formatKiB(onTiers)} on memory-only ${plural('node', tiers.length)} ${formatIdList(tiers)}: ${plural('it has', tiers.length, 'they have')} ${formatKiB(tiersRoom ?? 0)} free, ${formatKiB(tierPlacement.shortKiB)} short`,
    );
    return failed();
  }
  const vcpuCells = dealVcpus(placed.sizes, request.distribution, placed.threads);
  // A cell's memory is bound where its backing nodes' memory is: a memoryless node's at its home.
  const backingNodes = [...plan.memoryNodes, ...tierPlacement.shares.map((t) => [t.node])];
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
    topology: guestTopologyOf(placed.sizes, placed.threads),
    cells: guestCells,
    pins,
    emulatorpin,
    iothreadpins,
    memoryKiB: request.memoryKiB,
    devices: guestDevices,
  };

  warnOvercommit(nodes, pins, capacities, diags);
  warnSnapshot(cpuCellsOf(guestCells), memory.caps, diags);
  const sharedCpus = new Set(nodes.flatMap((n) => (capacities.get(n) as NodeCapacity).cores.filter((c) => c.shared).flatMap((c) => c.usable)));
  const pinByVcpu = new Map(pins.map((p) => [p.vcpu, p.cpus]));
  const coreGroups = vcpuCells.flatMap((vs) =>
    Array.from({ length: Math.ceil(vs.length / placed.threads) }, (_, k) => vs.slice(k * placed.threads, (k + 1) * placed.threads).flatMap((v) => pinByVcpu.get(v) ?? [])),
  );
  const cpuCells = guestCells.slice(0, placed.cells);
  const tierCells = guestCells.slice(placed.cells);
  // Memory-only cells run no vCPUs, so they carry no traffic weight in the cost (tiers.ts).
  const cost = distanceCost(cpuCells.map((c) => ({ vcpus: c.vcpus.length, nodes: c.hostNodes })), distance);
  const score: LayoutScore = {
    nodes: nodes.length + tierCells.length,
    distanceCost: cost,
    smtShared: smtShared(coreGroups, sharedCpus),
    ...scoreParts(layout, host),
    optimal: chosen.optimal,
    gap: chosen.gap,
  };

  explanation.push(chosen.how);
  for (const n of nodes) explanation.push(nodeSentence(host, capacities.get(n) as NodeCapacity, placed, devices.found.filter((d) => d.node === n).map((d) => d.bdf)));
  explanation.push(`${plural('cell', placed.cells)} ${rangeText(0, placed.cells - 1)} on ${plural('node', nodes.length)} ${formatIdList(nodes)}: distance cost ${cost}`);
  explanation.push(...shapeSentences(request, placed, layout));
  for (const n of nodes.filter((x) => homes.has(x))) {
    explanation.push(`node ${n} has CPUs but no memory: its cell's memory is on node ${homes.get(n)}, the nearest with memory (distance ${distance(n, homes.get(n) as number)}), where Linux would take it from too`);
  }
  if (overflow) {
    const text = `${plural('node', nodes.length)} ${formatIdList(nodes)} ${nodes.length === 1 ? 'lacks' : 'lack'} the free memory for ${formatKiB(cpuKiB)}: ${formatKiB(onTiers - tierKiB)} of it overflows to memory-only ${plural('node', tierCells.length)} ${formatIdList(tierCells.map((c) => c.hostNodes[0]))}`;
    diags.warning(undefined, text);
    explanation.push(text);
  } else if (tierKiB > 0) {
    explanation.push(`${formatKiB(tierKiB)} on memory-only ${plural('node', tierCells.length)} ${formatIdList(tierCells.map((c) => c.hostNodes[0]))}, as the request asks (nearest first)`);
  }
  for (const tier of tierCells) explanation.push(tierSentence(host, tier, cpuCells));
  if (emulatorpin.length > 0) {
    explanation.push(`CPUs ${formatIdList(emulatorpin)} left to the host${reserve === 'first-core' ? ' (first core of each node used)' : ''}: emulator${layout.iothreadpins.length > 0 ? ' and iothreads' : ''} pinned there`);
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
  const known = new Set(host.nodes.map((n) => n.id));
  const missing = parsed.ids.filter((id) => !known.has(id));
  // libvirt's own text for a nodeset naming a node the host does not have; one line for many.
  if (missing.length === 1) diags.error(undefined, `NUMA node ${missing[0]} is unavailable`);
  else if (missing.length > 0) diags.error(undefined, `NUMA nodes ${formatIdList(missing)} are unavailable`);
  for (const id of parsed.ids) {
    if (!known.has(id)) continue;
    if (tiers.includes(id)) diags.info(undefined, `host node ${id} is memory-only: it can hold the guest's memory as a CPU-less cell, never its vCPUs`);
    else if (!cpuNodes.includes(id)) {
      const text = `host node ${id} has no online CPUs, so it cannot run vCPUs`;
      if (MODE_RULES[request.mode].cells === 'mirror') diags.error(undefined, text);
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
    diags.error(undefined, `${kib} KiB of tier memory is not a whole number of ${formatKiB(granule)}${request.hugepageSizeKiB === undefined ? '' : ' hugepages'}`);
    return undefined;
  }
  return kib;
}

/**
 * `cpuMemoryKiB`: the part of the guest's memory its CPU cells hold (all of it but the tier
 * memory). Cells of the sizes the user gave, or as even as whole cores allow; in mode auto
 * without a cell count this is a template of one cell, sized again for each node set.
 * `fixedCount`: the cells when none are asked (mode host's mirrored nodes, else 1).
 */
function shapeOf(
  host: Host,
  request: PartitionRequest,
  cpuMemoryKiB: number,
  fixedCount: number,
  allowed: readonly number[],
  cores: Map<number, number[][]>,
  diags: DiagnosticSink,
): Shape | undefined {
  const given = cellSizesGiven(request, cpuMemoryKiB, diags);
  if (!given) return undefined;
  const cells = given.vcpus?.length ?? request.cells ?? fixedCount;
  if (cells > request.vcpus) {
    diags.error(undefined, `${request.vcpus} ${plural('vCPU', request.vcpus)} cannot fill ${cells} cells: every cell needs at least one vCPU`);
    return undefined;
  }
  const largest = given.vcpus ? maxOf(given.vcpus) : Math.ceil(request.vcpus / cells);
  const hostSmt = hostSmtOf(allowed, cores);
  if (pinningOf(request) === '1:1' && request.threadPolicy === 'require') {
    if (hostSmt < 2) {
      diags.error(undefined, `thread policy 'require' needs host cores with two or more threads; ${host.nodes.length > 1 ? 'these nodes have' : 'this host has'} one`);
      return undefined;
    }
    if (request.distribution === 'round-robin' || largest < 2) {
      diags.error(undefined, `thread policy 'require' needs guest cores of two or more threads; ${request.distribution === 'round-robin' ? 'round-robin gives the guest one thread per core' : 'a cell has one vCPU'}`);
      return undefined;
    }
  }
  const threads = guestThreads(hostSmt, largest, request.distribution, request.threadPolicy);
  // round-robin's guest cores are of one thread (guestThreads), so its cells are even by vCPUs
  const sizes = given.vcpus ?? evenSizes(request.vcpus, cells, threads);
  const granule = memoryGranule(request.hugepageSizeKiB);
  if (request.hugepageSizeKiB !== undefined && request.memoryKiB % request.hugepageSizeKiB !== 0) {
    // exact KiB: rounded to GiB, 32 GiB and 4 KiB reads as a whole 32.0 GiB
    diags.error(undefined, `${request.memoryKiB} KiB of memory is not a whole number of ${formatKiB(request.hugepageSizeKiB)} hugepages`);
    return undefined;
  }
  const memories = given.memory ?? splitMemoryBy(cpuMemoryKiB, sizes, granule);
  if (memories.some((m) => m <= 0)) {
    diags.error(undefined, tooLittle(cpuMemoryKiB, cells, granule));
    return undefined;
  }
  return { cells, sizes, threads, memories, granule, hugepageSizeKiB: request.hugepageSizeKiB };
}

/** The widest SMT among the nodes the guest may use: the most vCPUs one host core can take. */
function hostSmtOf(allowed: readonly number[], cores: Map<number, number[][]>): number {
  return minOf(allowed.map((n) => maxOf((cores.get(n) ?? []).map((c) => c.length), 1)));
}

/** Cell sizes the request gives (Nova's hw:numa_cpus.N / hw:numa_mem.N), checked against its totals. */
function cellSizesGiven(request: PartitionRequest, cpuMemoryKiB: number, diags: DiagnosticSink): { vcpus?: number[]; memory?: number[] } | undefined {
  const { cellVcpus, cellMemoryKiB } = request;
  const whole = (list: readonly number[]) => list.length > 0 && list.every((x) => Number.isInteger(x) && x > 0);
  if (cellMemoryKiB !== undefined && cellVcpus === undefined) diags.error(undefined, 'cell memory sizes need cell vCPU counts beside them');
  if (cellVcpus !== undefined) {
    const sum = cellVcpus.reduce((s, x) => s + x, 0);
    if (!whole(cellVcpus)) diags.error(undefined, `cell vCPU counts must be whole numbers of at least 1, not ${cellVcpus.join(',')}`);
    else if (sum !== request.vcpus) diags.error(undefined, `cell vCPU counts ${cellVcpus.join(' + ')} make ${sum}, not the guest's ${request.vcpus} vCPUs`);
    if (request.cells !== undefined && request.cells !== cellVcpus.length) diags.error(undefined, `${cellVcpus.length} cell vCPU counts for ${request.cells} cells`);
  }
  if (cellMemoryKiB !== undefined && cellVcpus !== undefined) {
    const granule = memoryGranule(request.hugepageSizeKiB);
    const sum = cellMemoryKiB.reduce((s, x) => s + x, 0);
    if (cellMemoryKiB.length !== cellVcpus.length) diags.error(undefined, `${cellMemoryKiB.length} cell memory sizes for ${cellVcpus.length} cells`);
    else if (!whole(cellMemoryKiB) || cellMemoryKiB.some((m) => m % granule !== 0)) diags.error(undefined, `every cell's memory must be a whole number of ${formatKiB(granule)}`);
    else if (sum !== cpuMemoryKiB) diags.error(undefined, `cell memory sizes make ${formatKiB(sum)}, not the ${formatKiB(cpuMemoryKiB)} the CPU cells hold`);
  }
  return hasErrors(diags.list) ? undefined : { vcpus: cellVcpus && [...cellVcpus], memory: cellMemoryKiB && [...cellMemoryKiB] };
}

/** The cells that run vCPUs: memory-only tier cells run none. */
function cpuCellsOf(cells: readonly GuestCell[]): GuestCell[] {
  return cells.filter((c) => c.vcpus.length > 0);
}

/** What a person should know about the cells' sizes and the guest topology that follows from them. */
function shapeSentences(request: PartitionRequest, shape: Shape, layout: GuestLayout): string[] {
  const out: string[] = [];
  const t = layout.topology;
  const unequal = shape.sizes.some((x) => x !== shape.sizes[0]);
  if (request.cellVcpus !== undefined) out.push(`cells of ${shape.sizes.join(' + ')} vCPUs, as the request gives them`);
  else if (unequal) out.push(`${request.vcpus} vCPUs do not divide into ${shape.cells} equal cells of whole ${shape.threads}-thread cores: cells of ${shape.sizes.join(' + ')}`);
  if (shape.sizes.some((x) => x % shape.threads !== 0)) {
    out.push(`a cell of an odd size leaves its last host core partly used`);
  }
  if (t.sockets !== shape.cells || t.threads !== shape.threads) {
    out.push(
      `guest topology ${t.sockets} ${plural('socket', t.sockets)} × ${t.cores} ${plural('core', t.cores)} × ${t.threads} ${plural('thread', t.threads)}: ` +
        `the nearest to the cells in which no guest socket or core spans two cells`,
    );
  }
  return out;
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
  memory: MemoryPlaces,
  groupsOf: (node: number) => number[][],
  distance: DistanceOf,
): PlanResult {
  const mapping = mapCells(nodes, shape.cells, distance);
  if (!mapping.ok) return { ok: false, reason: mapping.error };
  const taken = new Map<number, number>();
  const bound = new Map<number, number>();
  const groups: number[][][] = [];
  const memoryNodes: number[][] = [];
  for (const b of mapping.cells) {
    const cellGroups: number[][] = [];
    const shares = evenShares(unitsOf(shape, b.cell, use), b.nodes.length);
    const memShares = splitMemory(shape.memories[b.cell], b.nodes.length, shape.granule);
    for (let j = 0; j < b.nodes.length; j++) {
      const node = b.nodes[j];
      const available = groupsOf(node);
      const from = taken.get(node) ?? 0;
      if (from + shares[j] > available.length) {
        return { ok: false, reason: `node ${node} has ${available.length} ${unitName(use, shape)} free for ${from + shares[j]}` };
      }
      for (const g of available.slice(from, from + shares[j])) cellGroups.push(g);
      taken.set(node, from + shares[j]);
      const home = memory.homeOf(node);
      bound.set(home, (bound.get(home) ?? 0) + memShares[j]);
    }
    groups.push(cellGroups);
    memoryNodes.push(sortIds([...new Set(b.nodes.map(memory.homeOf))]));
  }
  for (const [node, kib] of bound) {
    const cap = memory.caps.get(node) as NodeCapacity;
    if (cap.freeKiB !== null && kib > cap.freeKiB) {
      const [free, wanted] = formatKiBApart(cap.freeKiB, kib);
      return { ok: false, reason: `node ${node} has ${free} free for ${wanted}` };
    }
    if (shape.hugepageSizeKiB !== undefined) {
      const pages = kib / shape.hugepageSizeKiB;
      const free = freeHugepages(cap, shape.hugepageSizeKiB);
      if (pages > free) return { ok: false, reason: `node ${node} has ${free} free ${formatKiB(shape.hugepageSizeKiB)} pages for ${pages}` };
    }
  }
  return { ok: true, plan: { backing: mapping.cells, groups, memoryNodes } };
}

/** Where memory goes: a node's own, or a memoryless node's home (host/memory-home.ts), and the room there. */
interface MemoryPlaces {
  homeOf: (node: number) => number;
  caps: Map<number, NodeCapacity>;
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
  memory: MemoryPlaces,
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
      ? `${plural('node', k)} ${formatIdList(result.nodes)}: the fewest nodes (${k}) that fit, lowest distance cost among ${eligible} eligible ${plural('node', eligible)} (exact search, ${result.steps} ${plural('step', result.steps)})`
      : `${plural('node', k)} ${formatIdList(result.nodes)}: the fewest nodes (${k}) that fit; search of ${eligible} eligible nodes stopped after ${result.steps} ${plural('step', result.steps)}, distance cost within ${gap} of the best`;
    return { nodes: result.nodes, plan: planned.plan, shape, use, optimal: result.optimal, gap: result.optimal ? 0 : gap, how };
  }
  return undefined;

  function searchSize(k: number, use: CoreUse, ceiling: number | undefined) {
    const countOf = countFor(use);
    const units = shape.sizes.map((_, i) => unitsOf(shape, i, use));
    const memOk = (cap: NodeCapacity, kib: number) => fitsRoom(roomOf(cap, shape.hugepageSizeKiB), kib);
    const wholeCells = k <= shape.cells;
    // Per-node room for the smallest share a node of the set gets: exact when the cells are equal
    // and each node holds whole cells (only the node with cell 0 also takes the split's
    // remainder), a necessary bound otherwise, where the whole set is then planned.
    const perNode = wholeCells ? shape.cells / k : k / shape.cells;
    const groupSum = (list: readonly number[]) =>
      minOf(Array.from({ length: k }, (_, j) => list.slice(j * perNode, (j + 1) * perNode).reduce((sum, x) => sum + x, 0)));
    const unitsNeed = wholeCells ? groupSum(units) : Math.floor(minOf(units) / perNode);
    const memNeed = wholeCells ? groupSum(shape.memories) : Math.floor(minOf(shape.memories) / perNode / shape.granule) * shape.granule;
    const equal = shape.sizes.every((x) => x === shape.sizes[0]);
    const firstExtra = shape.memories[0] - shape.memories[shape.cells - 1];
    const memCap = (n: number) => memory.caps.get(memory.homeOf(n)) as NodeCapacity;
    const eligible = allowed.filter((n) => countOf(n) >= unitsNeed && memOk(memCap(n), memNeed));
    if (eligible.length < k) return undefined;
    // The k roomiest nodes together must hold the whole guest, or no k-subset can.
    if (roomiest(eligible.map(countOf), k) < units.reduce((sum, u) => sum + u, 0)) return undefined;
    const knownFree = eligible.map((n) => memCap(n).freeKiB);
    if (knownFree.every((f) => f !== null) && roomiest([...(knownFree as number[])], k) < shape.memories.reduce((sum, m) => sum + m, 0)) return undefined;
    const homed = allowed.some((n) => memory.homeOf(n) !== n);
    const accept =
      wholeCells && equal && !homed
        ? (nodes: readonly number[]) => firstExtra === 0 || memOk(memCap(nodes[0]), memNeed + firstExtra)
        : (nodes: readonly number[]) => planFor(nodes, use).ok;
    const result = searchNodes({
      size: k,
      eligible,
      required: devices.required,
      distance,
      free: eligible.map((n) => (memory.homeOf(n) === n ? rankingFree(memCap(n)) : 0)),
      preferred: eligible.map((n) => devices.preferred.includes(n)),
      accept,
      stepBudget: stepBudget(eligible.length),
      ceiling,
    });
    return result ? { result, eligible: eligible.length, use } : undefined;
  }
}

/** Why no node set holds the guest: what all the allowed nodes have together, against what it needs. */
function roomReason(allowed: readonly number[], capacities: Map<number, NodeCapacity>, shape: Shape, count: (n: number) => number, perGroup: number): string {
  const vcpus = shape.sizes.reduce((sum, x) => sum + x, 0);
  const kib = shape.memories.reduce((sum, m) => sum + m, 0);
  const cpus = allowed.reduce((sum, n) => sum + count(n) * perGroup, 0);
  const rooms = allowed.map((n) => roomOf(capacities.get(n) as NodeCapacity, shape.hugepageSizeKiB));
  const room = rooms.every((r) => r !== null) ? (rooms as number[]).reduce((sum, r) => sum + r, 0) : null;
  const nodes = `${plural('node', allowed.length)} ${formatIdList(allowed)}`;
  if (cpus < vcpus) return `${nodes} ${allowed.length === 1 ? 'has' : 'have'} ${cpus} CPUs free for its ${vcpus} vCPUs`;
  if (room !== null && room < kib) return `${nodes} ${allowed.length === 1 ? 'holds' : 'hold'} ${formatKiB(room)} no other guest binds, for its ${formatKiB(kib)}`;
  return `no set of ${nodes} has room for it`;
}

/** The snapshot of free memory is no limit (page cache gives way), but a layout past it deserves a word. */
function warnSnapshot(cells: readonly GuestCell[], capacities: Map<number, NodeCapacity>, diags: DiagnosticSink): void {
  const bound = new Map<number, number>();
  for (const c of cells) {
    const shares = splitMemory(c.memoryKiB, c.hostNodes.length, 1);
    c.hostNodes.forEach((n, i) => bound.set(n, (bound.get(n) ?? 0) + shares[i]));
  }
  for (const [node, kib] of [...bound].sort((x, y) => x[0] - y[0])) {
    const snapshot = capacities.get(node)?.snapshotKiB;
    if (snapshot != null && kib > snapshot) {
      const [had, binds] = formatKiBApart(snapshot, kib);
      diags.warning(undefined, `node ${node} had ${had} free when the host was dumped and the guest binds ${binds} there: the rest must come from page cache the kernel can drop`);
    }
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
  if (cap.snapshotKiB !== null && cap.snapshotKiB < (cap.freeKiB ?? Infinity)) parts.push(`${formatKiB(cap.snapshotKiB)} of it unused when the host was dumped`);
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
  return { nodes: 0, distanceCost: 0, smtShared: 0, remoteVcpus: 0, remoteDistance: 10, splitCores: 0, optimal: false, gap: 0 };
}
