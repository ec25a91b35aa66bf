/**
 * hwloc's distances2 may name its objects by gp_index (indexing="gp") instead of os_index: the
 * same matrix written either way reads as the same distances. The corpus' 16amd64-4distances.xml
 * has NUMA nodes whose gp_index (3, 15, 27 …) is not their os_index (1, 0, 2 …); rewriting its
 * NUMA matrix by gp_index, as hwloc may, must change nothing. Kills the planted bug
 * "distances2 indexing='gp' ignored" (ingest/hwloc-xml.ts).
 */
import { describe, expect, it } from 'vitest';
import { parseHwlocXml } from '../../src/core/ingest/hwloc-xml.ts';
import { readCorpus } from '../support/corpus.ts';

const byOs = readCorpus('hwloc-xml', '16amd64-4distances.xml');

function byGp(text: string): string {
  const gpOf = new Map<string, string>();
  for (const m of text.matchAll(/<object type="NUMANode" os_index="(\d+)"[^>]* gp_index="(\d+)"/g)) gpOf.set(m[1], m[2]);
  return text.replace(/(<distances2 type="NUMANode"[^>]*)indexing="os">\s*<indexes length="(\d+)">([^<]*)<\/indexes>/, (_, head: string, _length: string, list: string) => {
    const gps = list.trim().split(/\s+/).map((os) => gpOf.get(os));
    const joined = `${gps.join(' ')} `;
    return `${head}indexing="gp">\n    <indexes length="${joined.length}">${joined}</indexes>`;
  });
}

describe('hwloc distances2 by gp_index', () => {
  it('the rewritten file really names its nodes by gp_index', () => {
    const gp = byGp(byOs);
    expect(gp).not.toBe(byOs);
    expect(gp).toContain('<indexes length="23">3 15 27 39 52 64 76 88 </indexes>');
  });

  it('reads as the same distances as by os_index', () => {
    const os = parseHwlocXml(byOs, 'os.xml');
    const gp = parseHwlocXml(byGp(byOs), 'gp.xml');
    expect(os.distances!.nodes).toEqual([1, 0, 2, 5, 4, 3, 6, 7]);
    expect(gp.distances).toEqual({ ...os.distances, line: gp.distances!.line });
    expect(gp.diagnostics).toEqual(os.diagnostics);
  });
});
