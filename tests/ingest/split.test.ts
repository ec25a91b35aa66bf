import { describe, expect, it } from 'vitest';
import { splitPaste } from '../../src/core/ingest/split.ts';
import { readCorpus } from '../support/corpus.ts';

const lscpu = readCorpus('pasted', 'talk-e7-8895v2.lscpu.txt');
const numactl = readCorpus('pasted', 'talk-e7-8895v2.numactl-H.txt');

describe('splitting a paste that holds several outputs', () => {
  it('cuts lscpu followed by numactl -H into two parts with their line offsets', () => {
    const parts = splitPaste(`${lscpu}\n${numactl}`);
    expect(parts).toHaveLength(2);
    expect(parts[0].text.startsWith('Architecture:')).toBe(true);
    expect(parts[1].text.startsWith('available: 4 nodes')).toBe(true);
    expect(parts[1].lineOffset).toBe(lscpu.split('\n').length);
  });

  it('drops shell prompts and remembers the command', () => {
    const parts = splitPaste(`[root@kvm01 ~]# lscpu\n${lscpu}\nroot@kvm01:~$ numactl --hardware\n${numactl}`);
    expect(parts.map((p) => p.command)).toEqual(['lscpu', 'numactl --hardware']);
    expect(parts[0].lineOffset).toBe(1);
    expect(parts.every((p) => !/^\S*[#$] /.test(p.text))).toBe(true);
  });

  it("keeps util-linux's expected files as lscpu, lscpu --parse and lscpu --parse --physical", () => {
    const parts = splitPaste(readCorpus('util-linux-lscpu', 'lscpu-x86_64-epyc_7451'));
    expect(parts).toHaveLength(3);
    expect(parts[1].text.startsWith('# The following is the parsable format')).toBe(true);
    expect(parts[2].text.startsWith('# The following is the parsable format')).toBe(true);
  });

  it('keeps concatenated nodedev documents and lspci -vvv blocks together', () => {
    const nodedev = ['pci_1002_71c4.xml', 'pci_8086_10c9_sriov_pf.xml'].map((f) => readCorpus('libvirt-nodedev', f)).join('\n');
    expect(splitPaste(nodedev)).toHaveLength(1);
    const lspci = '00:00.0 Host bridge: Intel Corporation Device 2020\n\tNUMA node: 0\n\n00:01.0 PCI bridge: Intel Corporation Device 2030\n\tNUMA node: 0\n';
    expect(splitPaste(lspci)).toHaveLength(1);
  });

  it('keeps a leading unrecognised part so its lines can be reported', () => {
    const parts = splitPaste(`some notes\nmore notes\n${numactl}`);
    expect(parts).toHaveLength(2);
    expect(parts[0].lineOffset).toBe(0);
    expect(parts[1].lineOffset).toBe(2);
  });
});
