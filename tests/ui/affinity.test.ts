/**
 * The affinity map on layouts the partitioning core really makes for the talk's host (the
 * golden 16-vCPU guest, and a floating guest next to it).
 */
import { describe, expect, it } from 'vitest';
import { affinityGrid, affinityMap, vcpuinfoText } from '../../src/core/emit/affinity.ts';
import type { GuestLayout } from '../../src/core/guest/model.ts';
import { occupancyOf } from '../../src/core/partition/occupancy.ts';
import { solve } from '../../src/core/partition/solve.ts';
import { talkHost, TALK_REQUEST } from '../support/golden.ts';

const host = talkHost();
const golden = solve(host, TALK_REQUEST).layout;

describe('affinity map', () => {
  it('gives every vCPU of the golden guest its pinned CPU, its node and local memory', () => {
    const map = affinityMap(host, golden);
    expect(map.rows).toHaveLength(16);
    expect(map.rows.slice(0, 6).map((r) => r.current)).toEqual([1, 61, 2, 62, 16, 76]);
    const v5 = map.rows[5];
    expect(v5).toMatchObject({ vcpu: 5, cell: 1, pinning: '1:1', cpus: [76], cpuNodes: [1], memoryNodes: [1], distance: 10, online: true });
    expect(map.groups.map((g) => g.node)).toEqual([0, 1, 2, 3]);
    expect(map.emulator).toEqual(golden.emulatorpin);
    expect(map.memory.reduce((s, m) => s + m.kib, 0)).toBe(golden.memoryKiB);
    expect(map.memory.map((m) => [m.cell, m.node])).toEqual([[0, 0], [1, 1], [2, 2], [3, 3]]);
  });

  it('prints the X/- grid with SMT halves aligned and the pinned CPU marked', () => {
    const lines = affinityGrid(affinityMap(host, golden)).split('\n');
    expect(lines[0]).toMatch(/^vCPU\s+cell\s+node 0\s+node 1\s+node 2\s+node 3$/);
    expect(lines[1]).toContain('0-14,60-74');
    // vCPU 0 runs on CPU 1 (2nd of 0-14), vCPU 1 on its sibling 61 (2nd of 60-74).
    expect(lines[2]).toMatch(/^ {3}0 {5}0 {2}-\*-{13} -{15} {2}-{15} -{15}/);
    expect(lines[3]).toMatch(/^ {3}1 {5}0 {2}-{15} -\*-{13} {2}/);
    expect(lines.filter((l) => /^\s+\d+\s+\d+\s/.test(l))).toHaveLength(16);
  });

  it('prints virsh vcpuinfo blocks with one y per allowed host CPU', () => {
    const text = vcpuinfoText(affinityMap(host, golden), host);
    const block = text.split('\n\n')[5].split('\n');
    expect(block[0]).toBe('VCPU:           5');
    expect(block[1]).toBe('CPU:            76');
    const mask = block[2].replace('CPU Affinity:   ', '');
    expect(mask).toHaveLength(120);
    expect(mask.indexOf('y')).toBe(76);
    expect(mask.lastIndexOf('y')).toBe(76);
  });

  it('shows a floating guest as X over its node with no fixed CPU', () => {
    const floating = solve(host, { ...TALK_REQUEST, vcpus: 8, memoryKiB: 16 << 20, mode: 'node', pinning: 'node-float' }, occupancyOf([{ name: 'golden', layout: golden }])).layout;
    const map = affinityMap(host, floating);
    const node = floating.cells[0].hostNodes[0];
    for (const row of map.rows) {
      expect(row.pinning).toBe('floating');
      expect(row.current).toBeNull();
      expect(row.cpuNodes).toEqual([node]);
      expect(row.distance).toBe(10);
    }
    const grid = affinityGrid(map);
    expect(grid).not.toContain('*  ');
    expect(grid.split('\n')[2]).toContain('X');
  });

  it('reports the remote distance when a cell’s memory sits on another node', () => {
    const moved: GuestLayout = { ...golden, cells: golden.cells.map((c) => (c.id === 0 ? { ...c, hostNodes: [2] } : c)) };
    const map = affinityMap(host, moved);
    expect(map.rows[0]).toMatchObject({ cpuNodes: [0], memoryNodes: [2], distance: 21 });
    expect(map.rows[4].distance).toBe(10);
  });

  it('treats vCPUs without a pin as free to run anywhere and those above current as offline', () => {
    const partial: GuestLayout = { ...golden, pins: golden.pins.filter((p) => p.vcpu !== 3), currentVcpus: 12 };
    const map = affinityMap(host, partial);
    expect(map.rows[3]).toMatchObject({ pinning: 'unpinned', current: null });
    expect(map.rows[3].cpus).toHaveLength(120);
    expect(map.rows.filter((r) => !r.online).map((r) => r.vcpu)).toEqual([12, 13, 14, 15]);
  });
});
