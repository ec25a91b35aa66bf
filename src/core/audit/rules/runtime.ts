/**
 * memory-misplaced: what the host's runtime state (numastat -c qemu, a QEMU process's numa_maps)
 * shows against what the domain asks — a guest whose resident memory is mostly on nodes other
 * than those it is bound to (bound after it started, a preferred policy that fell back, memory
 * taken before the binding).
 */
import { formatIdList, sortIds } from '../../cpuset.ts';
import { formatKiB } from '../../units.ts';
import type { AuditRule, Finding } from '../finding.ts';
import { boundNodes, placedLayout } from '../placed.ts';
import { nodesWord, quoted } from '../words.ts';

export const memoryMisplaced: AuditRule = (_host, guests) =>
  guests.flatMap((guest): Finding[] => {
    if (!guest.resident) return [];
    const bound = boundNodes(placedLayout(guest));
    if (bound.length === 0) return [];
    const total = guest.resident.reduce((s, r) => s + r.kib, 0);
    const away = guest.resident.filter((r) => r.kib > 0 && !bound.includes(r.node));
    const awayKiB = away.reduce((s, r) => s + r.kib, 0);
    if (total === 0 || awayKiB * 2 <= total) return [];
    const elsewhere = sortIds(away.map((r) => r.node));
    return [
      {
        severity: 'warning',
        kind: 'memory-misplaced',
        guests: [guest.name],
        cpus: [],
        nodes: sortIds(new Set([...elsewhere, ...bound])),
        message: `${formatKiB(awayKiB)} of the ${formatKiB(total)} resident memory of ${quoted(guest.name)} is on ${nodesWord(elsewhere)}, outside ${nodesWord(bound)} it is bound to.`,
        fix: `Move it back with 'migratepages <qemu pid> ${formatIdList(elsewhere)} ${formatIdList(bound)}' (or restart the guest), and keep its <numatune> mode strict.`,
      },
    ];
  });
