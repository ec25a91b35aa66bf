/**
 * Guests for the audit tests as the audit meets them on a real host: a layout written into libvirt
 * domain XML by the domain-xml writer (optionally with hand-added elements the layout does not
 * own, such as a hostdev or a cell-less <numatune>) and read back by readAuditGuest.
 */
import { expect } from 'vitest';
import { audit, readAuditGuest, type AuditGuest, type Finding, type FindingKind } from '../../src/core/audit/index.ts';
import { writeLayout } from '../../src/core/domain-xml/index.ts';
import type { GuestLayout } from '../../src/core/guest/model.ts';
import type { Host } from '../../src/core/host/model.ts';
import { solve } from '../../src/core/partition/index.ts';
import { occupancyOf } from '../../src/core/partition/occupancy.ts';
import { DEFAULT_REQUEST, type PartitionRequest } from '../../src/core/partition/request.ts';

const GiB = 1 << 20;

export interface Extra {
  /** Inserted before </devices>. */
  devices?: string;
  /** Inserted before <os>: elements the writer does not own in a cell-less guest (a <numatune>). */
  beforeOs?: string;
  /** Replaces the <vcpu …> start tag's attributes. */
  vcpuAttributes?: string;
}

export function domainXml(name: string, layout: GuestLayout, extra: Extra = {}): string {
  const written = writeLayout(null, layout, { name });
  expect(written.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  let text = written.text;
  if (extra.devices) text = text.replace('</devices>', `${extra.devices}\n  </devices>`);
  if (extra.beforeOs) text = text.replace('  <os>', `${extra.beforeOs}\n  <os>`);
  if (extra.vcpuAttributes) text = text.replace(/<vcpu [^>]*>/, `<vcpu ${extra.vcpuAttributes}>`);
  return text;
}

export function guest(name: string, layout: GuestLayout, extra: Extra = {}): AuditGuest {
  const read = readAuditGuest(domainXml(name, layout, extra), `${name}.xml`);
  expect(read.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return read.guest!;
}

/** A guest solve() lays out on `host` beside `others`; fails the test when solve refuses. */
export function solved(host: Host, request: Partial<PartitionRequest>, others: readonly AuditGuest[] = []): GuestLayout {
  const result = solve(host, { ...DEFAULT_REQUEST, vcpus: 4, memoryKiB: 8 * GiB, ...request }, occupancyOf(others.map((g) => ({ name: g.name, layout: g.layout })), host));
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return result.layout;
}

export function findingsOf(host: Host, guests: readonly AuditGuest[], kind: FindingKind): Finding[] {
  return audit(host, guests).filter((f) => f.kind === kind);
}

export { GiB };
