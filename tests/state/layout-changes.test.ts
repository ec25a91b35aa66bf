/**
 * History labels say what a change did to the layout, in the XML's words: drops made by the
 * real edit core on the talk's golden guest, and a layout read back from text typed by hand.
 */
import { describe, expect, it } from 'vitest';
import { parseDomainDocument, readLayout, writeLayout } from '../../src/core/domain-xml/index.ts';
import { editAll } from '../../src/core/partition/index.ts';
import { NO_OCCUPANCY } from '../../src/core/partition/request.ts';
import { changeLabel, layoutChanges } from '../../src/state/layout-changes.ts';
import { talkExample1, talkHost } from '../support/golden.ts';

const host = talkHost();
const golden = talkExample1();

function edited(ops: Parameters<typeof editAll>[2]) {
  const out = editAll(host, golden, ops, NO_OCCUPANCY);
  if (!out.ok) throw new Error(out.reason);
  return out.result.layout;
}

describe('layout changes', () => {
  it('a cell’s memory moved to another node', () => {
    const after = edited([{ kind: 'move-memory', cell: 1, node: 2 }]);
    expect(layoutChanges(golden, after)).toEqual(['cell 1 memory → node 2', 'distances of cells 1-2']);
    expect(changeLabel("Move cell 1's memory to node 2", golden, after)).toBe('cell 1 memory → node 2; distances of cells 1-2');
  });

  it('a vCPU pinned elsewhere on its node', () => {
    const after = edited([{ kind: 'pin-vcpu', vcpu: 5, target: { thread: 18 } }]);
    expect(layoutChanges(golden, after)).toEqual(['vcpupin 5: 76 → 18']);
    expect(changeLabel('Move vCPU 5 to CPU 18', golden, after)).toBe('vcpupin 5: 76 → 18');
  });

  it('typed by hand: the layout read back from the text, a comment changes nothing', () => {
    const text = writeLayout(null, golden).text;
    const typed = readLayout(parseDomainDocument(text.replace("<vcpupin vcpu='4' cpuset='16'/>", "<vcpupin vcpu='4' cpuset='31'/>").replace("sockets='4'", "sockets='2'").replace("cores='2'", "cores='4'"))).layout;
    expect(layoutChanges(golden, typed)).toEqual(['vcpupin 4: 16 → 31', 'topology sockets 4 → 2, cores 2 → 4']);
    expect(changeLabel("Edit web's XML", golden, typed, "Edit web's XML")).toBe("Edit web's XML: vcpupin 4: 16 → 31; topology sockets 4 → 2, cores 2 → 4");
    const commented = readLayout(parseDomainDocument(text.replace('<vcpu', '<!-- mine --><vcpu'))).layout;
    expect(changeLabel("Edit web's XML", golden, commented, "Edit web's XML")).toBe("Edit web's XML");
  });

  it('many changes: the first two, and how many more', () => {
    const after = edited([{ kind: 'move-cell', cell: 0, node: 2 }]);
    const changes = layoutChanges(golden, after);
    expect(changes.length).toBeGreaterThan(2);
    expect(changes).toContain('cell 0 memory → node 2');
    expect(changeLabel('Move cell 0 to node 2', golden, after)).toBe(`${changes[0]}; ${changes[1]} (+${changes.length - 2} more)`);
  });
});
