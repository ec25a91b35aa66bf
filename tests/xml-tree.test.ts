import { describe, expect, it } from 'vitest';
import { parseXml } from '../src/core/xml/tree.ts';
import { readCorpus } from './support/corpus.ts';

describe('the XML reader', () => {
  it('keeps line and column of every element, and attributes in either quote style', () => {
    const { roots, diagnostics } = parseXml("<a>\n  <b x='1' y = \"two &amp; three\"/>\n  <c>text &lt;here&gt;</c>\n</a>", 's');
    expect(diagnostics).toEqual([]);
    const [b, c] = roots[0].children;
    expect(b).toMatchObject({ name: 'b', line: 2, column: 3, attrs: { x: '1', y: 'two & three' } });
    expect(c).toMatchObject({ name: 'c', line: 3, text: 'text <here>' });
  });

  it('reads concatenated documents (virsh nodedev-dumpxml of several devices)', () => {
    const two = readCorpus('libvirt-nodedev', 'pci_1002_71c4.xml') + readCorpus('libvirt-nodedev', 'pci_8086_10c9_sriov_pf.xml');
    expect(parseXml(two, 's').roots.map((r) => r.name)).toEqual(['device', 'device']);
  });

  it("ignores hwloc's external DTD and never fetches it", () => {
    const { roots, diagnostics } = parseXml(readCorpus('hwloc-xml', '16amd64-4distances.xml'), 's');
    expect(diagnostics).toEqual([]);
    expect(roots[0].name).toBe('topology');
  });

  it('refuses an internal DTD subset, so entity bombs are never expanded', () => {
    const laughs = `<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n]>\n<lolz>&lol2;</lolz>`;
    const { roots, diagnostics } = parseXml(laughs, 's');
    expect(diagnostics.map((d) => [d.line, d.message])).toEqual([
      [2, expect.stringContaining('internal subset is refused')],
      [6, expect.stringContaining('entity &lol2; is not defined')],
    ]);
    expect(roots[0].text).toBe('&lol2;');
  });

  it('reports damage with positions and keeps what it could read', () => {
    const { roots, diagnostics } = parseXml('<a>\n<b>\n</a>\n<c x="1', 's');
    expect(roots.map((r) => r.name)).toEqual(['a']);
    expect(diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`)).toEqual([
      '2:1 <b> is never closed (found </a>)',
      '4:8 the paste ends inside <c> opened at line 4 — cut off?',
    ]);
    expect(parseXml('<a><b></a', 's').diagnostics.map((d) => d.message)).toEqual(['the paste ends inside <b> opened at line 1 — cut off? (2 elements are left open, the outermost <a> at line 1)']);
    expect(parseXml('', 's').diagnostics[0].message).toBe('no XML element found');
    expect(parseXml('<a>1 < 2</a>', 's').diagnostics[0].message).toMatch(/write &lt;/);
    const property = parseXml('<a x="&toString;">&constructor;</a>', 's');
    expect(property.diagnostics.map((d) => d.message)).toEqual(['entity &toString; is not defined; numascope does not expand declared entities', 'entity &constructor; is not defined; numascope does not expand declared entities']);
    expect(property.roots[0]).toMatchObject({ attrs: { x: '&toString;' }, text: '&constructor;' });
  });

  it('a cut-off document gets one diagnostic where it ends, naming the innermost open element, not one per element', () => {
    const text = '<topology>\n  <object type="Machine">\n    <object type="Package">\n      <object type="PU" os_index="3"/>\n      <object type="PU" os_';
    const { roots, diagnostics, truncated } = parseXml(text, 's');
    expect(truncated).toBe(true);
    expect(diagnostics.map((d) => `${d.severity} ${d.line}:${d.column} ${d.message}`)).toEqual([
      'error 5:28 the paste ends inside <object> opened at line 5 — cut off? (4 elements are left open, the outermost <topology> at line 1)',
    ]);
    // The half-read tag is left out; what was whole is kept.
    expect(roots[0].children[0].children[0].children.map((c) => c.attrs.os_index)).toEqual(['3']);
  });

  it('a value cut short is left out rather than read as a smaller one; a cut right after < or </ is the same one diagnostic', () => {
    const cut = parseXml("<cell>\n  <memory unit='KiB'>1234", 's');
    expect(cut.roots[0].children).toEqual([]);
    expect(cut.diagnostics.map((d) => d.message)).toEqual(["the paste ends inside <memory> opened at line 2 — cut off? (2 elements are left open, the outermost <cell> at line 1)"]);
    for (const text of ['<a>\n<b/>\n<', '<a>\n<b/>\n</', '<a>\n<b/>\n</a', '<a><!-- note']) {
      expect(parseXml(text, 's').diagnostics, text).toHaveLength(1);
    }
    expect(parseXml('<a/>', 's').truncated).toBe(false);
  });
});
