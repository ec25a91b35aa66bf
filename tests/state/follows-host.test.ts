/**
 * The app follows the host: a guest laid out on the talk's host is judged again when the host
 * changes — pins on CPUs the new host lacks, nodes it does not have, cells bigger than its nodes,
 * vCPUs away from their memory — both at once (misfitsOf, from layout and host) and in the
 * guest's re-read diagnostics and located problems (the editor's markers). "Lay out again"
 * (autoLayout with the guest's request) makes a layout that fits, and the flag goes. A refused
 * request offers its suggestions as one click each (applySuggestion).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { writeLayout } from '../../src/core/domain-xml/index.ts';
import type { Host } from '../../src/core/host/model.ts';
import { solve } from '../../src/core/partition/index.ts';
import type { Suggestion } from '../../src/core/partition/request.ts';
import { misfitsOf } from '../../src/state/misfits.ts';
import { useApp } from '../../src/state/store.ts';
import { createWorkspace, type WorkspaceStore } from '../../src/state/workspace.ts';
import { corpusHost } from '../support/corpus.ts';
import { talkExample1, talkExample2, talkHost } from '../support/golden.ts';
import { inProcessEngine } from './in-process-engine.ts';

const talk = talkHost();
/** 2 nodes, 24 CPUs, 18 GiB a node: the talk guest's CPUs above 23 and nodes 2-3 are not there. */
const small = corpusHost('hwloc-xml/24em64t-2n6c2t-pci.xml');
/** SGI Altix UV, 24 nodes of 16 CPUs: every CPU is there, but on other nodes than the talk's. */
const sgi = corpusHost('hwloc-xml/192em64t-24n8c2t.xml');

let ws: WorkspaceStore;
beforeEach(() => {
  useApp.setState({ host: talk, pastes: [] });
  ws = createWorkspace(inProcessEngine());
});

const tabOf = (id: string) => ws.getState().guests.find((g) => g.id === id)!;

/** What workspace-sync does when the pastes make a new host. */
async function switchHost(host: Host): Promise<void> {
  useApp.setState({ host });
  ws.getState().revalidate();
  await ws.getState().settled();
}

async function openGuest(xml: string): Promise<string> {
  const id = ws.getState().addGuestFromXml(xml, 'web');
  await ws.getState().settled();
  return id;
}

describe('a guest is judged again when the host changes', () => {
  it('fits the host it was made for', async () => {
    const id = await openGuest(writeLayout(null, talkExample1()).text);
    expect(misfitsOf(tabOf(id).layout, talk)).toEqual([]);
  });

  it('on a smaller host: pins on CPUs it lacks and nodes it does not have are errors, in the panel and in the editor', async () => {
    const id = await openGuest(writeLayout(null, talkExample1()).text);
    useApp.setState({ host: small });
    // at once, before the XML is read again
    const now = misfitsOf(tabOf(id).layout, small).map((d) => d.message);
    expect(now).toContain('NUMA node 2 is not available');
    expect(now).toContain('vCPU 5 is pinned to host CPUs 76, which are not online CPUs of this host');
    await switchHost(small);
    const tab = tabOf(id);
    const errors = tab.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
    expect(errors).toContain('NUMA node 3 is not available');
    expect(errors).toContain('the emulator is pinned to host CPUs 30,45,60,75,90,105, which are not online CPUs of this host');
    // located on the text: the editor's markers
    const marked = tab.problems.find((p) => p.diagnostic.message === 'vCPU 5 is pinned to host CPUs 76, which are not online CPUs of this host');
    expect(marked && tab.xml.slice(marked.from, marked.to)).toBe("<vcpupin vcpu='5' cpuset='76'/>");
  });

  it('a cell bigger than the node it is bound to is an error', async () => {
    const id = await openGuest(writeLayout(null, talkExample2()).text);
    await switchHost(small);
    expect(misfitsOf(tabOf(id).layout, small).map((d) => d.message)).toContain('cell 0 needs 32 GiB of memory but host node 1 holds 18.0 GiB');
    expect(tabOf(id).diagnostics.some((d) => d.severity === 'error' && d.message.startsWith('cell 0 needs 32 GiB'))).toBe(true);
  });

  it('on the 24-node SGI every CPU exists, but the vCPUs run away from their memory: flagged, and laid out again it fits', async () => {
    const id = await openGuest(writeLayout(null, talkExample1()).text);
    const request = tabOf(id).request;
    await switchHost(sgi);
    const misfit = misfitsOf(tabOf(id).layout, sgi);
    expect(misfit.filter((d) => d.severity === 'error')).toEqual([]);
    expect(misfit.map((d) => d.message)).toContain("vCPU 5 runs on host node 9 but cell 1's memory is on node 1 (distance 65)");
    // the request opened from the XML: 4 cells pinned 1:1
    expect(request).toMatchObject({ vcpus: 16, mode: 'host', cells: 4 });
    expect(await ws.getState().autoLayout(id)).toBe(true);
    expect(tabOf(id).request).toEqual(request);
    expect(misfitsOf(tabOf(id).layout, sgi)).toEqual([]);
    expect(tabOf(id).diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
  });

  it('on the smaller host, laid out again keeping its request, the errors go', async () => {
    const id = await openGuest(writeLayout(null, talkExample1()).text);
    await switchHost(small);
    ws.getState().setRequest(id, { cells: undefined });
    expect(await ws.getState().autoLayout(id)).toBe(true);
    expect(misfitsOf(tabOf(id).layout, small)).toEqual([]);
    expect(tabOf(id).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});

describe('a refused request offers what would work', () => {
  it('each suggestion is one click: its change is made to the request and the guest is laid out again', async () => {
    const id = ws.getState().addGuest();
    ws.getState().setRequest(id, { mode: 'host', nodeset: '7' });
    const refused = solve(talk, tabOf(id).request);
    expect(refused.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    expect(await ws.getState().autoLayout(id)).toBe(false);
    const message = ws.getState().message!;
    expect(message).toMatchObject({ guestId: id, severity: 'error' });
    expect(message.text).toMatch(/^No layout: /);
    // solve()'s own suggestions when it makes them; the change removes the nodeset either way
    const remove: Suggestion = { text: 'any node', change: { nodeset: undefined } };
    expect(message.suggestions ?? []).toEqual('suggestions' in refused && refused.suggestions ? refused.suggestions : []);
    expect(await ws.getState().applySuggestion(id, message.suggestions?.[0] ?? remove)).toBe(true);
    expect(tabOf(id).request.nodeset).toBeUndefined();
    expect('nodeset' in tabOf(id).request).toBe(false);
    expect(tabOf(id).layout?.vcpus).toBe(16);
    expect(ws.getState().message).toBeNull();
  });
});
