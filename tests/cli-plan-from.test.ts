import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readFrom, requestFromDocument, unsizedHugepages } from '../src/cli/plan-from.ts';
import { composeRequest } from '../src/cli/plan.ts';
import { parseDomainDocument, readLayout } from '../src/core/domain-xml/index.ts';
import { readCorpus } from './support/corpus.ts';
import { run, TALK_HOST_ARGS, type Run } from './support/cli.ts';
import { defineOnTestDriver, validateXml } from './support/libvirt.ts';
import { domainFiles, withoutOwned } from './domain-xml/support.ts';

const TALK = TALK_HOST_ARGS;
const dir = mkdtempSync(join(tmpdir(), 'numascope-from-'));


interface PlanJson {
  layout: { vcpus: number; cells: { id: number; vcpus: number[]; memoryKiB: number; hostNodes: number[] }[]; pins: { vcpu: number; cpus: number[] }[] } | null;
  score: object | null;
  xml: string | null;
  diagnostics: { severity: string; message: string; line?: number; source: string }[];
}

/** Every real domain that reads without errors, written to a file of its own (the bin reads files). */
const domains = domainFiles()
  .filter((f) => !readLayout(parseDomainDocument(f.text)).diagnostics.some((d) => d.severity === 'error'))
  .map((f) => {
    const file = join(dir, f.name);
    writeFileSync(file, f.text);
    return { ...f, file };
  });
/** The talk host has no hugepages: a domain that asks for them is laid out without (--hugepages none). */
const hugepages = (text: string) => (/<hugepages/.test(text) ? ['--hugepages', 'none'] : []);

const broken = join(dir, 'duplicate-cell.xml');
writeFileSync(broken, readCorpus('libvirt-domain-numa', 'numatune-memnode.xml').replace("<cell id='1'", "<cell id='0'"));

const relaid = new Map<string, Run>();
const runs = {
  brokenHuman: () => run(['plan', ...TALK, '--from', broken]),
  brokenJson: () => run(['plan', ...TALK, '--from', broken, '--json']),
  brokenXml: () => run(['plan', ...TALK, '--from', broken, '--xml']),
  overridden: () => run(['plan', ...TALK, '--from', join(dir, 'numatune-memnode.xml'), '--mode', 'host', '--vcpus', '8', '--memory', '8GiB', '--json']),
};
const done = {} as Record<keyof typeof runs, Run>;
beforeAll(async () => {
  const keys = Object.keys(runs) as (keyof typeof runs)[];
  const [own, mine] = await Promise.all([
    Promise.all(domains.map((d) => run(['plan', ...TALK, '--mode', 'auto', '--from', d.file, ...hugepages(d.text), '--json']))),
    Promise.all(keys.map((k) => runs[k]())),
  ]);
  domains.forEach((d, i) => relaid.set(d.name, own[i]));
  keys.forEach((k, i) => (done[k] = mine[i]));
}, 120_000);

describe('numascope plan --from: a domain laid out again on the talk host (mode auto)', () => {
  it('has real domains to lay out again', () => {
    expect(domains.map((d) => d.name)).toEqual(expect.arrayContaining(['cputune-numatune.xml', 'numatune-memnode.xml', 'hugepages-numa-nodeset.xml', 'memory-hotplug-dimm.xml']));
  });

  it.each(domains.map((d) => [d.name, d]))('%s: the same document, changed only inside the layout\'s elements, reading back as the layout printed', (_, d) => {
    const r = relaid.get(d.name) as Run;
    expect(r.stderr).toBe('');
    expect(r.status, r.stdout).toBe(0);
    const plan = JSON.parse(r.stdout) as PlanJson;
    const xml = plan.xml as string;
    expect(xml).not.toBeNull();
    expect(xml).not.toBe(d.text);
    expect(withoutOwned(xml)).toBe(withoutOwned(d.text));
    const back = readLayout(parseDomainDocument(xml));
    expect(back.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
    expect(back.layout?.vcpus).toBe(readLayout(parseDomainDocument(d.text)).layout?.vcpus);
    expect(back.layout?.cells.map((c) => [c.vcpus, c.hostNodes, c.memoryKiB])).toEqual(plan.layout?.cells.map((c) => [c.vcpus, c.hostNodes, c.memoryKiB]));
    expect(back.layout?.pins).toEqual(plan.layout?.pins);
  });

  it.each(domains.map((d) => [d.name, d]))('%s: libvirt (its schema, then virsh define on the test driver) takes the rewritten document whenever it took the original', (_, d) => {
    const xml = (JSON.parse((relaid.get(d.name) as Run).stdout) as PlanJson).xml as string;
    const out = join(dir, `relaid-${d.name}`);
    writeFileSync(out, xml);
    if (validateXml(d.file).ok) {
      const after = validateXml(out);
      expect(after.ok, after.message).toBe(true);
    }
    if (defineOnTestDriver(d.text).ok) {
      const defined = defineOnTestDriver(xml);
      expect(defined.stderr).toBe('');
      expect(defined.ok).toBe(true);
    }
  });

  it('has documents libvirt takes, so the judge above judges', () => {
    expect(domains.filter((d) => validateXml(d.file).ok).length).toBeGreaterThanOrEqual(5);
    expect(domains.filter((d) => defineOnTestDriver(d.text).ok).length).toBeGreaterThanOrEqual(6);
  });

  it('lets the flags override what the document says', () => {
    const r = done.overridden;
    expect(r.status, r.stdout).toBe(0);
    const plan = JSON.parse(r.stdout) as PlanJson;
    expect(plan.layout?.vcpus).toBe(8);
    expect(plan.layout?.cells.reduce((s, c) => s + c.memoryKiB, 0)).toBe(8 * 1048576);
    expect(plan.xml).toContain("<vcpu placement='static'>8</vcpu>");
    expect(plan.xml).toContain('<name>QEMUGuest</name>');
    expect(plan.xml).toContain("<emulator>/usr/bin/qemu-system-x86_64</emulator>");
  });
});

describe('numascope plan --from: a document that reads with errors is not rewritten', () => {
  it('exits 1 and prints the reader\'s diagnostics, with their lines, and no layout', () => {
    const r = done.brokenHuman;
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('No layout.');
    expect(r.stdout).toContain(`${broken}:19:7: error: Duplicate NUMA cell info for cell id '0'`);
    expect(r.stdout).toContain('not laid out again: the domain XML reads with errors');
    expect(r.stdout).not.toContain('Domain XML');
  });

  it('in --json: layout, score and xml null, the diagnostics given', () => {
    const r = done.brokenJson;
    expect(r.status).toBe(1);
    const plan = JSON.parse(r.stdout) as PlanJson;
    expect(plan.layout).toBeNull();
    expect(plan.score).toBeNull();
    expect(plan.xml).toBeNull();
    expect(plan.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', source: broken, line: 19, message: "Duplicate NUMA cell info for cell id '0'" }));
  });

  it('in --xml: nothing on standard output, the diagnostics on standard error', () => {
    const r = done.brokenXml;
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("Duplicate NUMA cell info for cell id '0'");
  });
});

describe('numascope plan --from with --guest', () => {
  it('counts the other guests, but not the domain being laid out again when it is also given as a guest', async () => {
    const first = join(dir, 'first.xml');
    const planned = await run(['plan', ...TALK, '--mode', 'host', '--vcpus', '16', '--memory', '32GiB', '--xml']);
    expect(planned.status).toBe(0);
    writeFileSync(first, planned.stdout.replace('<name>numascope-guest</name>', '<name>first</name>'));
    const second = join(dir, 'second.xml');
    writeFileSync(second, planned.stdout.replace('<name>numascope-guest</name>', '<name>second</name>'));
    const [self, other] = await Promise.all([
      run(['plan', ...TALK, '--mode', 'host', '--from', first, '--guest', first, '--json']),
      run(['plan', ...TALK, '--mode', 'host', '--from', second, '--guest', first, '--json']),
    ]);
    expect(self.status, self.stdout).toBe(0);
    expect(other.status, other.stdout).toBe(0);
    const firstPins = readLayout(parseDomainDocument(readFileSync(first, 'utf8'))).layout?.pins ?? [];
    // Its own old place is free to it: the same host, the same request, the same pins again — so nothing to change.
    const selfPlan = JSON.parse(self.stdout) as PlanJson;
    expect(selfPlan.layout?.pins).toEqual(firstPins);
    expect(selfPlan.xml?.replace('<name>first</name>', '<name>numascope-guest</name>')).toBe(planned.stdout);
    // Another guest's CPUs are not given again.
    const taken = new Set(firstPins.flatMap((p) => p.cpus));
    const otherPins = (JSON.parse(other.stdout) as PlanJson).layout?.pins.flatMap((p) => p.cpus) ?? [];
    expect(otherPins).toHaveLength(16);
    expect(otherPins.filter((c) => taken.has(c))).toEqual([]);
  }, 30_000);
});

describe('the request a document gives (plan-from.ts)', () => {
  const read = (text: string) => {
    const r = readFrom(text, 'guest.xml');
    if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
    return r;
  };

  it('takes vCPUs, the cells\' memory (not memory devices), the page size backing most memory and pinned iothreads', () => {
    // Cells 0, 2, 3 on 1 GiB pages, cell 1 on 2 MiB ones.
    expect(requestFromDocument(read(readFileSync(resolve(import.meta.dirname, 'fixtures/domain-xml/hugepages-numa-nodeset.xml'), 'utf8')).layout)).toMatchObject({ vcpus: 4, hugepageSizeKiB: 1048576 });
    // <memory> 1267710 KiB counts two DIMMs; the cell holds 219136.
    expect(requestFromDocument(read(readFileSync(resolve(import.meta.dirname, 'fixtures/domain-xml/memory-hotplug-dimm.xml'), 'utf8')).layout)).toEqual({ vcpus: 2, memoryKiB: 219136, devices: [] });
    expect(requestFromDocument(read(readCorpus('libvirt-domain-numa', 'cputune-numatune.xml')).layout)).toMatchObject({ iothreads: 1 });
  });

  it('takes PCI passthrough devices as preferred: near the guest if it can, never a reason to refuse', () => {
    const text = readCorpus('libvirt-domain-numa', 'numatune-memnode.xml').replace(
      '<devices>',
      "<devices>\n    <hostdev mode='subsystem' type='pci' managed='yes'>\n      <source>\n        <address domain='0x0000' bus='0x3b' slot='0x00' function='0x0'/>\n      </source>\n    </hostdev>",
    );
    const doc = requestFromDocument(read(text).layout);
    expect(doc.devices).toEqual([{ bdf: '0000:3b:00.0', policy: 'preferred' }]);
    expect(composeRequest(doc, { devices: [{ bdf: '0000:af:00.0', policy: 'required' }] }).devices).toEqual([{ bdf: '0000:af:00.0', policy: 'required' }]);
  });

  it('warns when the document asks for hugepages of no size a cell could carry', () => {
    const text = readCorpus('libvirt-domain-numa', 'numatune-memnode.xml').replace('<vcpu', '<memoryBacking>\n    <hugepages/>\n  </memoryBacking>\n  <vcpu');
    const r = read(text);
    const request = composeRequest(requestFromDocument(r.layout));
    expect(unsizedHugepages(r.doc, r.layout, request)).toEqual([
      expect.objectContaining({ severity: 'warning', line: 7, message: expect.stringContaining('give --hugepages SIZE to keep them') }),
    ]);
    expect(unsizedHugepages(r.doc, r.layout, composeRequest({ hugepageSizeKiB: 2048 }))).toEqual([]);
  });
});
