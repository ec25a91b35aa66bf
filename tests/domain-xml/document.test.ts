import { describe, expect, it } from 'vitest';
import { applyEdits, parseDomainDocument, readLayout, writeLayout, type XmlNode } from '../../src/core/domain-xml/index.ts';
import { domainFiles, goldenLayout } from './support.ts';

/** The text rebuilt from the spans, the gaps between them checked to be whitespace only. */
function covered(nodes: XmlNode[], text: string, from = 0, to = text.length): string {
  let out = '';
  let at = from;
  const gap = (end: number) => {
    const g = text.slice(at, end);
    if (!/^\s*$/.test(g)) throw new Error(`non-whitespace gap ${JSON.stringify(g)} at ${at}`);
    out += g;
  };
  for (const n of nodes) {
    gap(n.start);
    if (n.kind !== 'element') out += text.slice(n.start, n.end);
    else {
      out += text.slice(n.start, n.startTagEnd);
      out += covered(n.children, text, n.startTagEnd, n.contentEnd);
      out += text.slice(n.contentEnd, n.end);
    }
    at = n.end;
  }
  gap(to);
  return out;
}

const TRICKY = `<?xml version="1.0" encoding="UTF-8"?>
<!-- user's notes: keep me -->
<domain type="kvm" xmlns:qemu="http://libvirt.org/schemas/domain/qemu/1.0">
\t<name>db&amp;cache</name>
\t<metadata><app:owner xmlns:app="urn:x">ops &lt;team&gt;</app:owner></metadata>
\t<memory unit="GiB">32</memory>
\t<vcpu   placement = "static" >16</vcpu>
\t<description><![CDATA[<not> a tag & not an entity]]></description>
\t<os><type arch="x86_64" machine="q35">hvm</type></os>
\t<qemu:commandline>
\t\t<qemu:arg value="-S"/>
\t</qemu:commandline>
</domain>
`;

describe('parseDomainDocument: a lossless model', () => {
  it.each(domainFiles().map((f) => [f.name, f.text]))('%s: the spans cover every byte in order', (_, text) => {
    const doc = parseDomainDocument(text);
    expect(doc.wellFormed).toBe(true);
    expect(doc.diagnostics).toEqual([]);
    expect(covered(doc.nodes, text)).toBe(text);
  });

  it('keeps prolog, comments, namespaces, CDATA, entities, quote style and odd spacing', () => {
    const doc = parseDomainDocument(TRICKY);
    expect(doc.diagnostics).toEqual([]);
    expect(covered(doc.nodes, TRICKY)).toBe(TRICKY);
    const vcpu = doc.root!.children.find((c) => c.kind === 'element' && c.name === 'vcpu');
    expect(vcpu && vcpu.kind === 'element' && vcpu.attributes[0]).toMatchObject({ name: 'placement', value: 'static', quote: '"' });
    const r = readLayout(doc);
    expect(r.layout?.memoryKiB).toBe(32 * 1024 * 1024);
    expect(r.layout?.vcpus).toBe(16);
  });

  it('writes into a tab-indented, double-quoted document with its own indentation and only owned lines changed', () => {
    const doc = parseDomainDocument(TRICKY);
    const layout = goldenLayout();
    const w = writeLayout(doc, layout);
    expect(w.diagnostics).toEqual([]);
    expect(applyEdits(TRICKY, w.edits)).toBe(w.text);
    expect(w.text).toContain('\t<cputune>\n\t\t<vcpupin vcpu=\'0\' cpuset=\'1\'/>');
    expect(w.text).toContain('<!-- user\'s notes: keep me -->\n<domain type="kvm" xmlns:qemu');
    expect(w.text).toContain('\t<qemu:commandline>\n\t\t<qemu:arg value="-S"/>\n\t</qemu:commandline>');
    expect(w.text).toContain('<![CDATA[<not> a tag & not an entity]]>');
    // <memory unit="GiB">32</memory> already says 32 GiB: nothing to change there.
    expect(w.text).toContain('\t<memory unit="GiB">32</memory>');
    expect(w.text).toContain('\t<vcpu   placement = "static" >16</vcpu>');
    expect(readLayout(parseDomainDocument(w.text)).layout).toEqual(layout);
  });
});

describe('writeLayout: containers emptied by an edit', () => {
  const pinned = writeLayout(parseDomainDocument(TRICKY), goldenLayout()).text;
  // Cells that float over the host's memory: no <memory> or <memnode> left to write.
  const golden = goldenLayout();
  const unpinned = { ...golden, pins: [], emulatorpin: [], iothreadpins: [], cells: golden.cells.map((c) => ({ ...c, hostNodes: [] })) };

  it('drops <cputune> and <numatune> when nothing is left in them', () => {
    const w = writeLayout(parseDomainDocument(pinned), unpinned);
    expect(w.diagnostics).toEqual([]);
    expect(w.text).not.toContain('<cputune');
    expect(w.text).not.toContain('<numatune');
    expect(w.text).toContain('<cpu');
  });

  it('keeps them, with the comment, when the user wrote something in them', () => {
    const commented = pinned.replace('<cputune>', '<cputune>\n\t\t<!-- pinned by hand -->').replace('<numatune>', '<numatune>\n\t\t<!-- ask ops -->');
    const w = writeLayout(parseDomainDocument(commented), unpinned);
    expect(w.text).toMatch(/<cputune>\s*<!-- pinned by hand -->\s*<\/cputune>/);
    expect(w.text).toMatch(/<numatune>\s*<!-- ask ops -->\s*<\/numatune>/);
    expect(w.text).not.toContain('<vcpupin');
    expect(w.text).not.toContain('<memnode');
  });
});

describe('malformed and hostile XML', () => {
  const cases: [string, string, number, number, RegExp][] = [
    ['unclosed element', "<domain>\n  <vcpu>4</vcpu>\n  <cpu>\n</domain>\n", 3, 3, /Opening and ending tag mismatch: cpu line 3 and domain/],
    ['truncated', "<domain>\n  <vcpu placement='static'>4</vcpu>\n  <cputune>\n    <vcpupin vcpu='0' cpus", 4, 5, /Couldn't find end of Start Tag vcpupin/],
    ['unquoted attribute', '<domain>\n  <vcpu placement=static>4</vcpu>\n</domain>', 2, 19, /AttValue: " or ' expected/],
    ['duplicate attribute', "<domain>\n  <vcpu current='1' current='2'>4</vcpu>\n</domain>", 2, 21, /Attribute current redefined/],
    ['undeclared entity', '<domain>\n  <name>a&nbsp;b</name>\n</domain>', 2, 10, /Entity 'nbsp' not defined/],
    ['a JavaScript property is no entity', '<domain>\n  <name>a&constructor;b</name>\n</domain>', 2, 10, /Entity 'constructor' not defined/],
    ['hex reference with a non-hex digit', '<domain>\n  <name>a&#x4g;b</name>\n</domain>', 2, 10, /xmlParseCharRef: invalid xmlChar value x4g/],
    ['stray end tag', '<domain>\n</vcpu>\n</domain>', 2, 1, /Opening and ending tag mismatch: domain and vcpu/],
    ['two roots', '<domain/>\n<domain/>', 2, 1, /Extra content at the end of the document/],
  ];
  it.each(cases)('%s: a diagnostic with line and column, no exception', (_, text, line, column, message) => {
    const doc = parseDomainDocument(text, 'x.xml');
    expect(doc.wellFormed).toBe(false);
    expect(doc.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', source: 'x.xml', line, column, message: expect.stringMatching(message) }));
    expect(covered(doc.nodes, text)).toBe(text);
    const w = writeLayout(doc, goldenLayout());
    expect(w.edits).toEqual([]);
    expect(w.text).toBe(text);
  });

  it('refuses billion laughs without expanding anything', () => {
    const lol = `<?xml version="1.0"?>
<!DOCTYPE domain [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<domain><name>&lol3;</name></domain>`;
    const doc = parseDomainDocument(lol);
    expect(doc.root).toBeNull();
    expect(doc.diagnostics[0]).toMatchObject({ line: 2, column: 1, message: expect.stringMatching(/internal subset is refused/) });
    expect(readLayout(doc).layout).toBeNull();
    expect(writeLayout(doc, goldenLayout()).text).toBe(lol);
  });

  it('refuses external entities and never loads an external DTD', () => {
    const xxe = `<!DOCTYPE domain [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<domain><name>&x;</name></domain>`;
    const doc = parseDomainDocument(xxe);
    expect(doc.root).toBeNull();
    expect(doc.diagnostics.some((d) => /refused/.test(d.message))).toBe(true);
    const ext = parseDomainDocument(`<!DOCTYPE domain SYSTEM "http://example.invalid/domain.dtd">\n<domain><name>a</name></domain>`);
    expect(ext.root?.name).toBe('domain');
    expect(ext.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', line: 1, message: 'external DTD ignored (never loaded)' })]);
  });
});
