/**
 * `numascope check` run as the real bin: guests laid out by `numascope plan`, defined on libvirt's
 * test driver and printed back by `virsh dumpxml` (the XML a person's host really has), audited
 * against the talk's host — from --host/--guest files and from one collected paste (archives:
 * tests/cli-check-sos.test.ts).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PID_FILES_COMMAND } from '../src/core/ingest/collector.ts';
import { corpusPath, readCorpus } from './support/corpus.ts';
import { run, TALK_HOST_ARGS } from './support/cli.ts';
import { defineOnTestDriver } from './support/libvirt.ts';

const LSCPU = corpusPath('pasted', 'talk-e7-8895v2.lscpu.txt');
const NUMACTL = corpusPath('pasted', 'talk-e7-8895v2.numactl-H.txt');
const TALK = TALK_HOST_ARGS;
const dir = mkdtempSync(join(tmpdir(), 'numascope-check-'));


interface CheckJson {
  host: { nodes: { id: number }[] };
  guests: { name: string; source: string; vcpus: number; memoryKiB: number; nodes: number[] }[];
  findings: { severity: string; kind: string; guests: string[]; cpus: number[]; nodes: number[]; message: string; fix: string }[];
  diagnostics: { severity: string; message: string }[];
}

/** `numascope plan --xml` for the talk's host, named, as libvirt prints it back after `virsh define`. */
async function plannedDomain(name: string, flags: string[], others: string[] = []): Promise<string> {
  const planned = await run(['plan', ...TALK, ...others.flatMap((f) => ['--guest', f]), ...flags, '--xml']);
  expect(planned.status, planned.stderr).toBe(0);
  const xml = planned.stdout.replace('<name>numascope-guest</name>', `<name>${name}</name>`);
  const defined = defineOnTestDriver(xml, { dumpxml: true });
  expect(defined.ok, defined.stderr).toBe(true);
  const file = join(dir, `${name}.xml`);
  writeFileSync(file, defined.stdout.slice(defined.stdout.indexOf('<domain')));
  return file;
}

const files: Record<string, string> = {};

beforeAll(async () => {
  files.web = await plannedDomain('web', ['--vcpus', '4', '--memory', '8GiB', '--nodeset', '0']);
  // Laid out beside web: nothing shared.
  files.db = await plannedDomain('db', ['--vcpus', '4', '--memory', '8GiB', '--nodeset', '0'], [files.web]);
  // Laid out as if web were not there: the same CPUs.
  files.clash = await plannedDomain('clash', ['--vcpus', '4', '--memory', '8GiB', '--nodeset', '0']);
}, 60_000);

async function checkJson(args: string[], status: number): Promise<CheckJson> {
  const r = await run(['check', ...args, '--json']);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(status);
  return JSON.parse(r.stdout) as CheckJson;
}

describe('numascope check --json', () => {
  it('two guests numascope laid out one beside the other: no finding, exit 0, the host as inspect --json prints it', async () => {
    const [out, inspected] = await Promise.all([checkJson([...TALK, '--guest', files.web, '--guest', files.db], 0), run(['inspect', LSCPU, NUMACTL, '--json'])]);
    expect(out.findings).toEqual([]);
    expect(out.host).toEqual(JSON.parse(inspected.stdout));
    expect(out.guests).toEqual([
      { name: 'web', source: files.web, vcpus: 4, memoryKiB: 8388608, nodes: [0] },
      { name: 'db', source: files.db, vcpus: 4, memoryKiB: 8388608, nodes: [0] },
    ]);
  });

  it('a guest laid out without the other: pin-overlap, exit 1, each finding in the contract', async () => {
    const out = await checkJson([...TALK, '--guest', files.web, '--guest', files.clash], 1);
    expect(out.findings.map((f) => f.kind)).toEqual(['pin-overlap']);
    const [f] = out.findings;
    expect(Object.keys(f)).toEqual(['severity', 'kind', 'guests', 'cpus', 'nodes', 'message', 'fix']);
    expect(f).toMatchObject({ severity: 'error', guests: ['web', 'clash'], nodes: [0] });
    expect(f.cpus.length).toBe(4);
  });

  it('one collected paste: host dumps, virsh dumpxml of each domain, libvirt\'s QEMU pid files and numastat -c qemu, as the collector prints them', async () => {
    const { readFileSync } = await import('node:fs');
    const paste = [
      '$ lscpu',
      readCorpus('pasted', 'talk-e7-8895v2.lscpu.txt'),
      '$ numactl -H',
      readCorpus('pasted', 'talk-e7-8895v2.numactl-H.txt'),
      '$ virsh dumpxml web',
      readFileSync(files.web, 'utf8'),
      '$ virsh dumpxml db',
      readFileSync(files.db, 'utf8'),
      `$ ${PID_FILES_COMMAND}`,
      '/run/libvirt/qemu/db.pid:4410',
      '/run/libvirt/qemu/driver.pid:2211',
      '/run/libvirt/qemu/web.pid:3389',
      '$ numastat -c qemu',
      '',
      'Per-node process memory usage (in MBs)',
      'PID              Node 0 Node 1 Node 2 Node 3 Total',
      '---------------  ------ ------ ------ ------ -----',
      '3389 (qemu-kvm)     512   7680      0      0  8192',
      '4410 (qemu-kvm)    8100     92      0      0  8192',
      '---------------  ------ ------ ------ ------ -----',
      'Total              8612   7772      0      0 16384',
      '',
    ].join('\n');
    const file = join(dir, 'collected.txt');
    writeFileSync(file, paste);
    const out = await checkJson([file], 1);
    // Each guest is named by the line its <domain> starts on.
    const lines = paste.split('\n');
    const at = (name: string) => lines.indexOf(`$ virsh dumpxml ${name}`) + 2;
    expect(out.guests.map((g) => [g.name, g.source])).toEqual([
      ['web', `${file}:${at('web')}`],
      ['db', `${file}:${at('db')}`],
    ]);
    expect(out.host.nodes.map((n) => n.id)).toEqual([0, 1, 2, 3]);
    expect(out.findings).toMatchObject([{ severity: 'warning', kind: 'memory-misplaced', guests: ['web'], nodes: [0, 1] }]);
    expect(out.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
  });

  it('a corpus domain with the emulator on CPUs 1-3 beside a guest pinned there', async () => {
    const out = await checkJson([...TALK, '--guest', files.web, '--guest', corpusPath('libvirt-domain-numa', 'cputune-numatune.xml')], 1);
    expect(out.findings).toMatchObject([{ kind: 'emulator-on-vcpus', guests: ['dummy2', 'web'], cpus: [1, 2] }]);
  });
});

describe('numascope check for people', () => {
  it('lists each guest with its findings under the first guest they name, then a verdict', async () => {
    const r = await run(['check', ...TALK, '--guest', files.web, '--guest', files.clash]);
    expect(r.status).toBe(1);
    const lines = r.stdout.split('\n');
    const web = lines.findIndex((l) => l.startsWith(`web (${files.web}): 4 vCPU(s), 8 GiB, host node(s) 0`));
    const clash = lines.findIndex((l) => l.startsWith('clash ('));
    expect(web).toBeGreaterThan(0);
    expect(lines[web + 1]).toMatch(/^ {2}error pin-overlap: 'web' and 'clash' are both pinned to host CPUs /);
    expect(lines[web + 2]).toMatch(/^ {4}fix: Pin vCPUs 0-3 of 'clash' to CPUs no other guest is pinned to\.$/);
    expect(lines[clash + 1]).toBe('  no findings');
    expect(lines.at(-2)).toBe('1 error(s), 0 warning(s)');
  });
});

describe('numascope check exit 2', () => {
  it('without a host, with an unknown option, or an unreadable file', async () => {
    const [noHost, unknown, missing] = await Promise.all([
      run(['check', '--guest', corpusPath('libvirt-domain-numa', 'cputune-numatune.xml')]),
      run(['check', ...TALK, '--fleet']),
      run(['check', ...TALK, '--guest', join(dir, 'absent.xml')]),
    ]);
    for (const r of [noHost, unknown, missing]) {
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
    }
    expect(noHost.stderr).toContain('name the host');
    expect(unknown.stderr).toContain("unknown option '--fleet'");
    expect(missing.stderr).toContain('cannot read');
  });
});
