/**
 * A collected paste cut into host, domains and runtime: the host part keeps the paste's line
 * numbers (ingest's diagnostics point where the person looks), each domain reads as a guest.
 */
import { describe, expect, it } from 'vitest';
import { separateCollected } from '../../src/core/audit/collected.ts';
import { readAuditGuest } from '../../src/core/audit/index.ts';
import { ingest } from '../../src/core/ingest/index.ts';
import { readCorpus } from '../support/corpus.ts';

describe('separateCollected', () => {
  const numactl = readCorpus('pasted', 'talk-e7-8895v2.numactl-H.txt');
  const domain = readCorpus('libvirt-domain-numa', 'numatune-memnode.xml');
  const paste = ['# virsh dumpxml QEMUGuest', domain.trimEnd(), '# numactl -H', numactl.trimEnd(), 'this line is no output', '# numastat -c qemu', 'Per-node process memory usage (in MBs)', 'PID  Node 0 Total', '---  ------ -----', '12 (qemu-kvm)  3 3', 'Total  3 3', ''].join('\n');
  const cut = separateCollected(paste, 'host.txt');

  it('gives every domain document to the guest reader and the numastat table to the runtime', () => {
    expect(cut.domains).toHaveLength(1);
    expect(cut.domains[0].source).toBe('host.txt#domain1');
    const read = readAuditGuest(cut.domains[0].text, cut.domains[0].source);
    expect(read.guest?.name).toBe('QEMUGuest');
    expect(read.guest?.layout.cells.length).toBeGreaterThan(0);
    expect(cut.runtime.split('\n')).toEqual(['Per-node process memory usage (in MBs)', 'PID  Node 0 Total', '---  ------ -----', '12 (qemu-kvm)  3 3', 'Total  3 3']);
  });

  it('leaves the host part with the same lines, so ingest points at the line in the paste', () => {
    expect(cut.hostText.split('\n').length).toBe(paste.split('\n').length);
    const { host } = ingest([{ name: 'host.txt', text: cut.hostText }]);
    expect(host.nodes.map((n) => n.id)).toEqual([0, 1, 2, 3]);
    const stray = paste.split('\n').indexOf('this line is no output') + 1;
    expect(host.diagnostics.find((d) => d.message.includes('this line is no output'))?.line).toBe(stray);
  });

  it('a paste of domains only leaves no host text', () => {
    expect(separateCollected(`${domain}\n${domain}`, 'guests.txt')).toMatchObject({ hostText: '', runtime: '', domains: [{}, {}] });
  });
});
