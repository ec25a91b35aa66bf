/**
 * The audit (numascope check) on hostile domains: the talk's golden guest, written by the
 * domain-xml writer, with one list or count a real guest never has. Each must come back as the
 * domain reader's diagnostic and findings, never a stack trace, a hang or a materialised list.
 */
import { describe, expect, it } from 'vitest';
import { audit, readAuditGuest } from '../../src/core/audit/index.ts';
import { writeLayout } from '../../src/core/domain-xml/index.ts';
import { talkExample1, talkHost } from '../support/golden.ts';
import { HANG_MS, survive } from './survive.ts';

const host = talkHost();
const golden = writeLayout(null, talkExample1(), { name: 'talk' }).text;

/** The golden guest with its <vcpu> start tag given `attributes`. */
const withVcpu = (attributes: string) => golden.replace(/<vcpu[^>]*>/, `<vcpu ${attributes}>`);

describe('audited guests with lists past libvirt', () => {
  it("a <vcpu cpuset> naming CPUs past libvirt's 16384 is one diagnostic, not a placement", { timeout: HANG_MS }, () => {
    const read = survive(() => readAuditGuest(withVcpu("placement='static' cpuset='0-99999'"), 'talk.xml'));
    expect(read.diagnostics.map((d) => d.message)).toEqual(["Failed to parse bitmap '0-99999': id 99999 is past libvirt's limit of 16383"]);
    expect(read.guest?.placement?.cpuset).toBeUndefined();
  });

  it("a <vcpupin> past libvirt's limit is one diagnostic, and its vCPU is unpinned", { timeout: HANG_MS }, () => {
    const read = survive(() => readAuditGuest(golden.replace("<vcpupin vcpu='0' cpuset='1'/>", "<vcpupin vcpu='0' cpuset='0-99999'/>"), 'talk.xml'));
    expect(read.diagnostics.map((d) => d.message)).toEqual(["Failed to parse bitmap '0-99999': id 99999 is past libvirt's limit of 16383"]);
    expect(read.guest?.layout.pins.map((p) => p.vcpu)).toEqual(Array.from({ length: 15 }, (_, v) => v + 1));
  });

  it("a cell-less guest's <numatune> nodeset past libvirt's limit binds nothing", { timeout: HANG_MS }, () => {
    const bare = golden.replace(/<cpu[\s>][\s\S]*<\/cpu>\n/, '').replace(/<numatune>[\s\S]*<\/numatune>/, "<numatune><memory mode='strict' nodeset='0-99999'/></numatune>").replace(/<cputune>[\s\S]*<\/cputune>\n/, '');
    const read = survive(() => readAuditGuest(bare, 'bare.xml'));
    expect(read.diagnostics.map((d) => d.message)).toContainEqual("Failed to parse bitmap '0-99999': id 99999 is past libvirt's limit of 16383");
    expect(read.guest?.layout.cells).toEqual([]);
    expect(read.guest?.placement?.memory).toBeUndefined();
  });

  // Once 4096 pins of a million CPUs each: minutes of audit and gigabytes, for a 200-byte domain.
  it('4096 unpinned vCPUs on <vcpu cpuset> of the whole id space are audited in no time', { timeout: HANG_MS }, () => {
    const text = golden
      .replace(/<vcpu[^>]*>\d+<\/vcpu>/, "<vcpu placement='static' cpuset='0-1048575'>4096</vcpu>")
      .replace(/<cputune>[\s\S]*<\/cputune>\n/, '')
      .replace(/<cpu[\s>][\s\S]*<\/cpu>\n/, '')
      .replace(/<numatune>[\s\S]*<\/numatune>\n/, '');
    const read = survive(() => readAuditGuest(text, 'wide.xml'));
    expect(read.diagnostics.map((d) => d.message)).toEqual(["Failed to parse bitmap '0-1048575': id 1048575 is past libvirt's limit of 16383"]);
    expect(survive(() => audit(host, [read.guest!])).map((f) => f.kind)).toEqual([]);
  });

  // Within libvirt's limits: 4096 vCPUs, each free on all 16384 CPUs libvirt can name. Read
  // list by list, that was 64M ids (over a minute of audit); one list shared, it is 16384.
  it('4096 vCPUs on <vcpu cpuset> of every CPU libvirt can name are audited in no time', { timeout: HANG_MS }, () => {
    const text = golden
      .replace(/<vcpu[^>]*>\d+<\/vcpu>/, "<vcpu placement='static' cpuset='0-16383'>4096</vcpu>")
      .replace(/<cputune>[\s\S]*<\/cputune>\n/, '')
      .replace(/<cpu[\s>][\s\S]*<\/cpu>\n/, '')
      .replace(/<numatune>[\s\S]*<\/numatune>\n/, '');
    const read = survive(() => readAuditGuest(text, 'wide.xml'));
    expect(read.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const findings = survive(() => audit(host, [read.guest!, read.guest!]));
    expect(findings.length).toBeGreaterThan(0);
  });

  it('4096 <vcpupin> of the same 16384 CPUs share one list', { timeout: HANG_MS }, () => {
    const pins = Array.from({ length: 4096 }, (_, v) => `    <vcpupin vcpu='${v}' cpuset='0-16383'/>`).join('\n');
    const text = golden
      .replace(/<vcpu[^>]*>\d+<\/vcpu>/, "<vcpu placement='static'>4096</vcpu>")
      .replace(/<cputune>[\s\S]*<\/cputune>/, `<cputune>\n${pins}\n  </cputune>`)
      .replace(/<cpu[\s>][\s\S]*<\/cpu>\n/, '')
      .replace(/<numatune>[\s\S]*<\/numatune>\n/, '');
    const read = survive(() => readAuditGuest(text, 'pins.xml'));
    const pinned = read.guest!.layout.pins;
    expect(pinned).toHaveLength(4096);
    expect(new Set(pinned.map((p) => p.cpus)).size).toBe(1);
    expect(survive(() => audit(host, [read.guest!, read.guest!])).length).toBeGreaterThan(0);
  });

  it('20,000 iothreads pinned where no CPU is are named as one list, not 20,000 names', { timeout: HANG_MS }, () => {
    const pins = Array.from({ length: 20_000 }, (_, i) => `    <iothreadpin iothread='${i + 1}' cpuset='${i < 10_000 ? 1 : 5000}'/>`).join('\n');
    const read = survive(() => readAuditGuest(golden.replace('</cputune>', `${pins}\n  </cputune>`), 'iothreads.xml'));
    const findings = survive(() => audit(host, [read.guest!]));
    const absent = findings.filter((f) => f.kind === 'absent-cpu');
    expect(absent.map((f) => f.message)).toEqual([`'talk' pins iothreads 10001-20000 to host CPU 5000, which this host does not have.`]);
    const emulator = findings.filter((f) => f.kind === 'emulator-on-vcpus');
    expect(emulator.map((f) => f.message)).toEqual(["The iothreads 1-10000 of 'talk' run on host CPU 1, which a vCPU holds one-to-one, so the vCPUs lose time to QEMU's own threads."]);
  });
});
