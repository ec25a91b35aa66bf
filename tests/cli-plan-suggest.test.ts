import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePlanArgs } from '../src/cli/plan-args.ts';
import { changeFlags, changesFor, flagsText, shellWord, sizeFlag, withChange } from '../src/cli/plan-suggest.ts';
import { composeRequest, planSuggestions } from '../src/cli/plan.ts';
import type { PartitionRequest } from '../src/core/partition/request.ts';
import { corpusPath } from './support/corpus.ts';

const BIN = resolve(import.meta.dirname, '../bin/numascope.js');
const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
const TALK = ['--host', corpusPath('pasted', 'talk-e7-8895v2.lscpu.txt'), '--host', corpusPath('pasted', 'talk-e7-8895v2.numactl-H.txt')];

/** A refused request as a person might type it: every kind of option, some in --x=v form. */
const GIVEN = [
  '--host', 'talk.txt', '--mode', 'host', '--vcpus', '16', '--memory=32GiB', '--cells', '4', '--nodeset', '0-3',
  '--pinning', '1:1', '--reserve', 'first-core', '--hugepages', '1G', '--iothreads', '2', '--device', '0000:3b:00.0', '--json',
];

/** Applying a change's flags to the command line gives the request the change asks for. */
function roundTrip(change: Partial<PartitionRequest>) {
  const given = parsePlanArgs(GIVEN);
  const argv = withChange(given.options, changeFlags(change));
  return { argv, got: composeRequest(parsePlanArgs(argv).flags), want: composeRequest(given.flags, change) };
}

describe('a suggestion as flags (plan-suggest.ts)', () => {
  it('writes every request field as the option that sets it', () => {
    const change: Required<PartitionRequest> = {
      vcpus: 21, memoryKiB: 3 * 1048576 + 512 * 1024, mode: 'auto', distribution: 'siblings', nodeset: '0-3,^2', cells: 2,
      cellVcpus: [10, 11], cellMemoryKiB: [1048576, 2560 * 1024 + 1], pinning: 'node-float', reserve: [0, 60, 61],
      threadPolicy: 'isolate', hugepageSizeKiB: 2048, devices: [{ bdf: '0000:3b:00.0', policy: 'preferred' }, { bdf: '0000:af:00.1', policy: 'required' }],
      iothreads: 3, tierMemoryKiB: 512 * 1024,
    };
    expect(flagsText(changeFlags(change))).toBe(
      '--mode auto --vcpus 21 --memory 3584MiB --nodeset 0-3,^2 --cells 2 --cell-vcpus 10,11 --cell-memory 1GiB,2621441KiB ' +
        '--distribution siblings --pinning node-float --reserve 0,60-61 --thread-policy isolate --hugepages 2MiB --tier-memory 512MiB ' +
        '--iothreads 3 --device 0000:3b:00.0:preferred --device 0000:af:00.1:required',
    );
    expect(flagsText(changeFlags({ reserve: 'none' }))).toBe('--reserve none');
  });

  it('writes a field to remove as its option gone, or as "none" where --from could supply it', () => {
    const removed = { nodeset: undefined, cells: undefined, pinning: undefined, reserve: undefined, tierMemoryKiB: undefined, hugepageSizeKiB: undefined, iothreads: undefined, devices: [] };
    expect(flagsText(changeFlags(removed))).toBe(
      'without --nodeset without --cells without --pinning without --reserve --hugepages none without --tier-memory --iothreads 0 --device none',
    );
    // Cell memory sizes go with the cells' vCPUs.
    expect(changeFlags({ cellVcpus: undefined })).toEqual([{ option: '--cell-vcpus', values: [], removes: true }, { option: '--cell-memory', values: [], removes: true }]);
    expect(changeFlags({})).toEqual([]);
  });

  it('applied to the command line given, each change gives the request it asks for, options kept in place', () => {
    const changes: Partial<PartitionRequest>[] = [
      { mode: 'auto' },
      { mode: 'auto', cells: undefined },
      { cells: 2 },
      { mode: 'node', pinning: undefined, reserve: undefined },
      { nodeset: '1' },
      { vcpus: 20, cellVcpus: [10, 10], cells: 2 },
      { memoryKiB: 16 * 1048576, cellVcpus: [8, 8], cellMemoryKiB: [4 * 1048576, 12 * 1048576], cells: undefined },
      { hugepageSizeKiB: undefined, iothreads: undefined, devices: [] },
      { devices: [{ bdf: '0000:af:00.1', policy: 'preferred' }], threadPolicy: 'require', distribution: 'round-robin', tierMemoryKiB: 1048576 },
    ];
    for (const change of changes) {
      const { got, want } = roundTrip(change);
      expect(got, JSON.stringify(change)).toEqual(want);
    }
    const { argv } = roundTrip({ mode: 'auto', cells: undefined });
    expect(argv).toEqual(['--host', 'talk.txt', '--mode', 'auto', '--vcpus', '16', '--memory=32GiB', '--nodeset', '0-3', '--pinning', '1:1', '--reserve', 'first-core', '--hugepages', '1G', '--iothreads', '2', '--device', '0000:3b:00.0', '--json']);
    // New options go at the end; an option given twice keeps one place.
    expect(withChange(parsePlanArgs(['--host', 'h', '--device', '0000:3b:00.0', '--device', '0000:af:00.0']).options, changeFlags({ devices: [], distribution: 'interleave' }))).toEqual(['--host', 'h', '--device', 'none', '--distribution', 'interleave']);
  });

  it('sizes read back by --memory, words quoted only where a shell would read them otherwise', () => {
    for (const kib of [1, 1023, 1024, 2048, 1048576, 1048577, 33554432]) expect(parsePlanArgs(['--host', 'h', '--memory', sizeFlag(kib)]).flags.memoryKiB).toBe(kib);
    expect(shellWord('0-3,^2')).toBe('0-3,^2');
    expect(shellWord('/tmp/my host.txt')).toBe("'/tmp/my host.txt'");
    expect(shellWord("it's")).toBe(`'it'\\''s'`);
  });

  it('leaves out taking away what this command line never set', () => {
    const auto = changeFlags({ mode: 'auto', cells: undefined, cellVcpus: undefined, cellMemoryKiB: undefined, pinning: undefined, hugepageSizeKiB: undefined });
    expect(flagsText(changesFor(parsePlanArgs(['--host', 'h', '--mode', 'host', '--cells', '8']).options, auto))).toBe('--mode auto without --cells');
    expect(flagsText(changesFor(parsePlanArgs(['--host', 'h', '--mode', 'host']).options, auto))).toBe('--mode auto');
    // A --from document may have said hugepages: only "none" takes them away.
    expect(flagsText(changesFor(parsePlanArgs(['--host', 'h', '--from', 'g.xml', '--pinning', '1:1']).options, auto))).toBe('--mode auto without --pinning --hugepages none');
  });

  it('a suggestion answered by plan: its text, its change, its flags and the whole command line', () => {
    const given = parsePlanArgs(['--host', 'h', '--mode', 'host', '--vcpus', '21']);
    expect(planSuggestions([{ text: 'mode auto lays it out', change: { mode: 'auto', cells: undefined } }], given.options)).toEqual([
      { text: 'mode auto lays it out', change: { mode: 'auto', cells: undefined }, flags: '--mode auto', argv: ['--host', 'h', '--mode', 'auto', '--vcpus', '21'] },
    ]);
  });
});

describe('a refused request on the talk host (the real bin)', () => {
  // 4 vCPUs cannot fill 8 cells: refused in mode host.
  const refused = [...TALK, '--mode', 'host', '--vcpus', '4', '--memory', '8GiB', '--cells', '8'];
  const human = run(['plan', ...refused]);
  const json = run(['plan', ...refused, '--json']);

  it('is refused with an error, and every suggestion is a command line that lays the guest out', () => {
    expect(human.status).toBe(1);
    expect(json.status).toBe(1);
    const plan = JSON.parse(json.stdout) as { xml: string | null; diagnostics: { severity: string }[]; suggestions: { text: string; change: object; flags: string }[] };
    expect(plan.xml).toBeNull();
    expect(plan.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    expect(plan.suggestions.length).toBeGreaterThan(0);
    expect(plan.suggestions.map((s) => s.flags)).toContain('--mode auto without --cells');
    const tries = [...human.stdout.matchAll(/^ {4}try: numascope plan (.*)$/gm)].map((m) => m[1].split(' '));
    expect(tries).toHaveLength(plan.suggestions.length);
    if (tries.length > 0) expect(human.stdout.indexOf('Suggestions')).toBeGreaterThan(human.stdout.indexOf('Diagnostics'));
    for (const [i, s] of plan.suggestions.entries()) {
      const change = Object.fromEntries(Object.entries(s.change).map(([k, v]) => [k, v ?? undefined]));
      expect(s.flags).toBe(flagsText(changesFor(parsePlanArgs([...refused, '--json']).options, changeFlags(change))));
      const tried = run(['plan', ...tries[i]]);
      expect(tried.status, `${s.text}: ${tries[i].join(' ')}\n${tried.stdout}`).toBe(0);
      expect(tried.stdout).toMatch(/^Domain XML\n<domain/m);
    }
  });
});
