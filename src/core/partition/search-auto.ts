/**
 * Mode auto's node search (DESIGN.md §3): for 1, 2, … nodes, the best set anywhere, and each
 * package's best only when that set spans packages; each set gets its own cell sizes.
 */
import { formatIdList } from '../cpuset.ts';
import type { NodeCapacity, CoreUse } from './capacity.ts';
import { searchNodes, type NodeSearchResult } from './choose-nodes.ts';
import type { DistanceOf } from '../host/distance.ts';
import { evenSizes } from './distribute.ts';
import { fillEvenly, splitMemoryBy } from './memory.ts';
import type { NodeGroup } from './node-groups.ts';
import { fitsRoom, plural, rankingFree, roomiest, stepBudget, type Chosen, type DeviceNodes, type Plan, type PlanResult, type Shape } from './plan.ts';
import type { PartitionRequest } from './request.ts';
import { roundCost } from './score.ts';
import { roomOf } from './tiers.ts';
import { guestThreads } from './topology.ts';

/** What mode auto's search needs: the request's template shape and the host as the solve sees it. */
export interface AutoSearch {
  request: PartitionRequest;
  /** One cell holding every vCPU and the CPU cells' memory: re-cut for each node set. */
  template: Shape;
  allowed: readonly number[];
  /** Nodes grouped by package (or by nearest distance when packages are unknown). */
  groups: NodeGroup[];
  devices: DeviceNodes;
  capacities: Map<number, NodeCapacity>;
  /** Where each node's memory goes (a memoryless node's: its home) and the room there. */
  memory: { homeOf: (node: number) => number; caps: Map<number, NodeCapacity> };
  distance: DistanceOf;
  hostSmt: number;
  strictUseOf: (threads: number) => CoreUse;
  looseUseOf: (threads: number) => CoreUse | undefined;
  countFor: (use: CoreUse) => (node: number) => number;
  planFor: (nodes: readonly number[], shape: Shape, use: CoreUse) => PlanResult;
}

/**
 * Mode auto (DESIGN.md §3): the fewest nodes that hold the guest, inside one package when one
 * can, one cell per node. Each node set gets cells as even as whole cores allow, or — when a
 * node has less room than an even share — as even as the nodes' room allows, so nothing that
 * fits is refused; memory follows the vCPUs. Ties as in every mode: distance cost, device
 * locality, free memory.
 */
export function searchAuto(a: AutoSearch): Chosen | undefined {
  const { request, template, allowed } = a;
  const cpuKiB = template.memories.reduce((sum, m) => sum + m, 0);
  const memCap = (n: number) => a.memory.caps.get(a.memory.homeOf(n)) as NodeCapacity;
  const room = (n: number) => roomOf(memCap(n), template.hugepageSizeKiB);
  // A memoryless node brings no memory of its own to the free-memory tie-break.
  const ownFree = (n: number) => (a.memory.homeOf(n) === n ? rankingFree(memCap(n)) : 0);
  for (let k = 1; k <= Math.min(allowed.length, request.vcpus); k++) {
    const threads = guestThreads(a.hostSmt, Math.ceil(request.vcpus / k), request.distribution, request.threadPolicy);
    const strict = a.strictUseOf(threads);
    const loose = a.looseUseOf(threads);
    const shapeFor = (nodes: readonly number[], use: CoreUse): Shape | undefined => {
      const perCore = use.kind === 'threads' ? 1 : threads;
      const cpuCaps = nodes.map((n) => a.countFor(use)(n) * perCore);
      // guestThreads gives round-robin one thread: its cells are even by vCPUs, as solve cuts them
      const even = evenSizes(request.vcpus, k, threads);
      const sizes = even.every((x, i) => x <= cpuCaps[i]) ? even : fillEvenly(request.vcpus, cpuCaps, threads);
      if (!sizes || sizes.includes(0)) return undefined;
      // Memoryless nodes of one set that share a home share its room.
      const sharing = (n: number) => nodes.filter((m) => a.memory.homeOf(m) === a.memory.homeOf(n)).length;
      const memCaps = nodes.map((n) => {
        const r = room(n);
        return r === null ? null : Math.floor(r / sharing(n) / template.granule) * template.granule;
      });
      const byVcpus = splitMemoryBy(cpuKiB, sizes, template.granule);
      const memories = byVcpus.every((m, i) => fitsRoom(memCaps[i], m)) ? byVcpus : fillEvenly(cpuKiB, memCaps, template.granule);
      if (!memories || memories.some((m) => m <= 0)) return undefined;
      return { ...template, cells: k, sizes, threads, memories };
    };
    // The search accepts a set, and the winner is planned again: plan each set once.
    const plans = new Map<string, { shape: Shape; plan: Plan } | undefined>();
    const planned = (nodes: readonly number[], use: CoreUse) => {
      const key = `${use.kind}:${nodes.join(',')}`;
      if (plans.has(key)) return plans.get(key);
      const shape = shapeFor(nodes, use);
      const plan = shape && a.planFor(nodes, shape, use);
      const result = shape && plan?.ok ? { shape, plan: plan.plan } : undefined;
      plans.set(key, result);
      return result;
    };
    const search = (candidates: readonly number[], use: CoreUse, ceiling?: number) => {
      const count = a.countFor(use);
      const perCore = use.kind === 'threads' ? 1 : threads;
      const roomy = candidates.filter((n) => count(n) > 0 && fitsRoom(room(n), template.granule));
      // A node of a k-set holds at least what the k − 1 roomiest others leave over.
      const cpuFloor = request.vcpus - roomiest(roomy.map((n) => count(n) * perCore), k - 1);
      const rooms = roomy.map(room);
      const memFloor = rooms.every((r) => r !== null) ? cpuKiB - roomiest([...(rooms as number[])], k - 1) : 0;
      const eligible = roomy.filter((n) => count(n) * perCore >= cpuFloor && fitsRoom(room(n), memFloor));
      if (eligible.length < k || !a.devices.required.every((r) => eligible.includes(r))) return undefined;
      if (roomiest(eligible.map((n) => count(n) * perCore), k) < request.vcpus) return undefined;
      const known = eligible.map(room);
      if (known.every((r) => r !== null) && roomiest([...(known as number[])], k) < cpuKiB) return undefined;
      const result = searchNodes({
        size: k,
        eligible,
        required: a.devices.required,
        distance: a.distance,
        free: eligible.map(ownFree),
        preferred: eligible.map((n) => a.devices.preferred.includes(n)),
        accept: (nodes) => planned(nodes, use) !== undefined,
        stepBudget: stepBudget(eligible.length),
        ceiling,
      });
      return result ? { result, eligible: eligible.length, use } : undefined;
    };
    // Siblings kept together win at the same distance cost as the best set of loose threads.
    const bestIn = (candidates: readonly number[]) => {
      const l = loose ? search(candidates, loose) : undefined;
      return search(candidates, strict, l?.result.pairCost) ?? l;
    };
    const anywhere = bestIn(allowed);
    if (!anywhere) continue;
    // The best set anywhere, when it lies in one group, is the best in that group too; only a
    // best set across groups sends the search into each group in turn.
    const home = a.groups.find((g) => anywhere.result.nodes.every((n) => g.nodes.includes(n)));
    const inPackage =
      home || a.groups.length < 2
        ? []
        : a.groups
            .flatMap((g) => {
              const found = bestIn(g.nodes);
              return found ? [{ group: g, found }] : [];
            })
            .sort((x, y) => compareFound(x.found, y.found, a));
    const pick = inPackage[0] ?? { group: a.groups.length < 2 ? undefined : home, found: anywhere };
    const { result, eligible, use } = pick.found;
    const placed = planned(result.nodes, use);
    if (!placed) continue;
    const factor = request.vcpus / (k * k);
    const gap = result.optimal ? 0 : roundCost(factor * (result.pairCost - result.lowerBound));
    const where = pick.group ? ` inside ${pick.group.name}` : a.groups.length > 1 ? `, across ${a.groups[0].kind} since none of them holds it alone` : '';
    const method = result.optimal ? `exact search, ${result.steps} ${plural('step', result.steps)}` : `search stopped after ${result.steps} ${plural('step', result.steps)}, distance cost within ${gap} of the best`;
    const how = `${plural('node', k)} ${formatIdList(result.nodes)}: the fewest nodes (${k}) that hold the guest${where}, one cell per node, lowest distance cost among ${eligible} eligible ${plural('node', eligible)} (${method})`;
    return { nodes: result.nodes, plan: placed.plan, shape: placed.shape, use, optimal: result.optimal, gap, how };
  }
  return undefined;
}

/** Lower pair cost, then more preferred devices, then more free memory, then lower node ids. */
export function compareFound(x: { result: NodeSearchResult }, y: { result: NodeSearchResult }, a: AutoSearch): number {
  if (Math.abs(x.result.pairCost - y.result.pairCost) > 1e-9) return x.result.pairCost - y.result.pairCost;
  const pref = (r: NodeSearchResult) => r.nodes.filter((n) => a.devices.preferred.includes(n)).length;
  if (pref(x.result) !== pref(y.result)) return pref(y.result) - pref(x.result);
  const ownFree = (n: number) => (a.memory.homeOf(n) === n ? rankingFree(a.memory.caps.get(n) as NodeCapacity) : 0);
  const free = (r: NodeSearchResult) => r.nodes.reduce((sum, n) => sum + ownFree(n), 0);
  if (free(x.result) !== free(y.result)) return free(y.result) - free(x.result);
  return x.result.nodes[0] - y.result.nodes[0];
}

