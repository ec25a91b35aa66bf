/**
 * numastat's per-process tables, as Debian's numastat prints them for this very test process
 * (the real peer), and the guest names libvirt puts on QEMU's command line.
 */
import { describe, expect, it } from 'vitest';
import { isNumastat, parseNumastat, qemuGuestNames, residentByGuest } from '../../src/core/audit/numastat.ts';
import { runPeer } from '../support/corpus.ts';

const pid = process.pid;

describe('numastat', () => {
  it('reads the compact table of every matching process (numastat -c PATTERN)', () => {
    const text = runPeer('numastat', ['-c', 'node']);
    expect(isNumastat(text)).toBe(true);
    const { processes, diagnostics } = parseNumastat(text, 'numastat');
    expect(diagnostics).toEqual([]);
    const me = processes.find((p) => p.pid === pid);
    expect(me?.command).toBe('node');
    expect(me!.memory.length).toBeGreaterThan(0);
    expect(me!.memory.reduce((s, m) => s + m.kib, 0)).toBeGreaterThan(1024);
  });

  it('reads the per-PID block, with two decimals, from its Total row (numastat -p PID)', () => {
    const text = runPeer('numastat', ['-p', String(pid)]);
    const { processes, diagnostics } = parseNumastat(text, 'numastat');
    expect(diagnostics).toEqual([]);
    expect(processes).toHaveLength(1);
    expect(processes[0].pid).toBe(pid);
    const totalMiB = Number(/^Total\s+.*?([\d.]+)\s*$/m.exec(text)![1]);
    expect(processes[0].memory.reduce((s, m) => s + m.kib, 0) / 1024).toBeCloseTo(totalMiB, 0);
  });

  it('warns about a row whose values do not fit the node columns, and reads nothing from other text', () => {
    const broken = 'Per-node process memory usage (in MBs)\nPID   Node 0 Node 1 Total\n----  ------ ------ -----\n3389 (qemu-kvm)   12  13\n';
    const read = parseNumastat(broken, 'paste');
    expect(read.processes).toEqual([]);
    expect(read.diagnostics).toMatchObject([{ severity: 'warning', line: 4 }]);
    expect(isNumastat('available: 2 nodes (0-1)')).toBe(false);
  });

  it("names each QEMU process by libvirt's -name guest=NAME and adds a guest's processes up", () => {
    const names = qemuGuestNames(
      ['  3389 /usr/bin/qemu-system-x86_64 -name guest=web,,01,debug-threads=on -S', '4410 qemu-kvm -name db -m 4096', '77 /bin/bash -c qemu -name x'].join('\n'),
    );
    expect([...names]).toEqual([
      [3389, 'web,01'],
      [4410, 'db'],
    ]);
    const resident = residentByGuest(
      [
        { pid: 3389, command: 'qemu-system-x86', memory: [{ node: 0, kib: 10 }, { node: 1, kib: 5 }] },
        { pid: 99, command: 'qemu-kvm', memory: [{ node: 0, kib: 7 }] },
      ],
      names,
    );
    expect([...resident]).toEqual([['web,01', [{ node: 0, kib: 10 }, { node: 1, kib: 5 }]]]);
  });
});
