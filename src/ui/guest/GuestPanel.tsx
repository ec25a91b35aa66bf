/**
 * The guest panel: one tab per guest, the request the partitioning core solves ("Auto layout"),
 * and the layout's cells and vCPUs as drag handles with a keyboard path. Everything it changes
 * goes through the workspace store; the layout shown is the one read from the guest's XML.
 */
import { memo, useMemo, useState, type ChangeEvent, type Dispatch, type SetStateAction } from 'react';
import { formatIdList, parseIdList } from '../../core/cpuset.ts';
import type { GuestLayout } from '../../core/guest/model.ts';
import type { Host } from '../../core/host/model.ts';
import { PARTITION_MODES, reserveOf, type DevicePolicy, type PartitionMode, type PartitionRequest, type ReserveKeyword } from '../../core/partition/request.ts';
import { formatKiB } from '../../core/units.ts';
import { cellSizesMismatch, formatCellMemory, formatCellVcpus, parseCellMemory, parseCellVcpus } from '../../state/cell-sizes.ts';
import { misfitsOf, ownErrorsOf } from '../../state/misfits.ts';
import { useApp } from '../../state/store.ts';
import { drawnIndexOf } from '../../state/workspace-sync.ts';
import { useWorkspace, type GuestTab } from '../../state/workspace.ts';
import { useAfterFrame } from '../after-frame.ts';
import { keyboardDrag } from '../dnd/DragLayer.tsx';
import { useDnd } from '../dnd/dnd-store.ts';
import type { DropTarget } from '../dnd/gesture.ts';
import { useCellColours } from './colours.ts';
import { GuestPanelHistory, GuestPanelWorkspace } from './GuestPanelTools.tsx';
import './GuestPanel.css';

const GiB = 1024 * 1024;

export function GuestPanel() {
  const guests = useWorkspace((s) => s.guests);
  const activeId = useWorkspace((s) => s.activeGuestId);
  const host = useApp((s) => s.host);
  const active = guests.find((g) => g.id === activeId) ?? guests[0];
  return (
    <section className="panel guest-panel" aria-labelledby="guests-title" data-testid="guest-panel">
      <div className="panel-head">
        <h2 id="guests-title">Guests</h2>
        <GuestPanelWorkspace />
      </div>
      <GuestTabs guests={guests} activeId={active?.id ?? null} host={host} />
      {active ? <GuestBody key={active.id} tab={active} /> : <p className="muted">No guest yet: add one, or open a domain XML.</p>}
      <GuestPanelHistory />
    </section>
  );
}

/** Re-rendered only when a tab's name, its marks or the active tab changes, not on every drop. */
const GuestTabs = memo(
  GuestTabList,
  (a, b) => a.activeId === b.activeId && a.host === b.host && a.guests.length === b.guests.length && a.guests.every((g, i) => sameTab(g, b.guests[i], b.host)),
);

/** Errors of the guest's XML itself; those the host causes are its misfit mark. */
function hasErrors(tab: GuestTab, host: Host | null): boolean {
  return ownErrorsOf(tab.diagnostics, misfitsOf(tab.layout, host)).length > 0;
}

function fitsHost(tab: GuestTab, host: Host | null): boolean {
  return misfitsOf(tab.layout, host).length === 0;
}

function sameTab(a: GuestTab, b: GuestTab, host: Host | null): boolean {
  return (
    a.id === b.id &&
    a.name === b.name &&
    a.found === b.found &&
    ((a.diagnostics === b.diagnostics && a.layout === b.layout) || hasErrors(a, host) === hasErrors(b, host)) &&
    (a.layout === b.layout || fitsHost(a, host) === fitsHost(b, host))
  );
}

function GuestTabList({ guests, activeId, host }: { guests: GuestTab[]; activeId: string | null; host: Host | null }) {
  const { addGuest, selectGuest, addGuestFromXml } = useWorkspace.getState();
  const [pasting, setPasting] = useState(false);
  const [xml, setXml] = useState('');
  const openFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (file) addGuestFromXml(await file.text(), file.name.replace(/\.xml$/i, ''));
  };
  return (
    <>
      <div className="guest-tabs" role="tablist" aria-label="Guests">
        {guests.map((g) => (
          <button
            key={g.id}
            type="button"
            role="tab"
            aria-selected={g.id === activeId}
            className={g.id === activeId ? 'guest-tab active' : 'guest-tab'}
            onClick={() => selectGuest(g.id)}
            data-testid="guest-tab"
          >
            {g.name}
            {g.found && (
              <span className="tab-found" title={`found on the host (${g.found.source})`} data-testid="guest-tab-found">
                {' '}⌂
              </span>
            )}
            {hasErrors(g, host) && <span className="tab-error" title="its XML has errors"> ●</span>}
            {!fitsHost(g, host) && (
              <span className="tab-misfit" title="its layout doesn't fit this host" data-testid="guest-tab-misfit">
                {' '}⚠
              </span>
            )}
          </button>
        ))}
        <button type="button" onClick={() => addGuest()} data-testid="add-guest" title="A new guest, laid out from scratch">
          + Guest
        </button>
        <button type="button" onClick={() => setPasting((p) => !p)} aria-expanded={pasting} data-testid="paste-xml-toggle">
          From domain XML…
        </button>
      </div>
      {pasting && (
        <div className="guest-from-xml">
          <textarea
            value={xml}
            onChange={(e) => setXml(e.target.value)}
            placeholder="Paste a libvirt domain XML (virsh dumpxml NAME)"
            rows={6}
            spellCheck={false}
            data-testid="guest-xml-paste"
            aria-label="Domain XML to start a guest from"
          />
          <div className="toolbar">
            <button
              type="button"
              disabled={xml.trim() === ''}
              onClick={() => {
                addGuestFromXml(xml);
                setXml('');
                setPasting(false);
              }}
              data-testid="guest-xml-add"
            >
              Add guest from this XML
            </button>
            <label className="file-button">
              Open a file…
              <input type="file" accept=".xml,text/xml,application/xml" onChange={(e) => void openFile(e)} data-testid="guest-xml-file" />
            </label>
          </div>
        </div>
      )}
    </>
  );
}

function GuestBody({ tab }: { tab: GuestTab }) {
  const host = useApp((s) => s.host);
  const message = useWorkspace((s) => s.message);
  const { removeGuest, autoLayout } = useWorkspace.getState();
  const misfit = misfitsOf(tab.layout, host);
  const errors = ownErrorsOf(tab.diagnostics, misfit);
  // The handles and the explanation follow a frame after the layout: the drop's own frame moves the
  // chips in the diagram, the XML and the affinity map.
  const now = useMemo(() => ({ layout: tab.layout, score: tab.score, explanation: tab.explanation }), [tab.layout, tab.score, tab.explanation]);
  const shown = useAfterFrame(now);
  const explanation = shown.explanation;
  return (
    <div className="guest-body" role="tabpanel" aria-label={tab.name}>
      <div className="guest-name-row">
        <GuestName id={tab.id} name={tab.name} />
        <button type="button" onClick={() => removeGuest(tab.id)} data-testid="remove-guest" title="Remove this guest (undo brings it back)">
          Remove
        </button>
      </div>
      {tab.found && (
        <p className="hint" data-testid="guest-found">
          Found on the host ({tab.found.source}): its XML is as the host keeps it, and edits change only what they must.
        </p>
      )}
      <RequestForm id={tab.id} request={tab.request} host={host} />
      <div className="toolbar">
        <button type="button" className="primary" onClick={() => void autoLayout(tab.id)} disabled={!host} data-testid="auto-layout">
          Auto layout
        </button>
        <Busy />
      </div>
      {message && (message.guestId === null || message.guestId === tab.id) && (
        <div className={`message ${message.severity}`} role="alert" data-testid="guest-message">
          <p>{message.text}</p>
          {message.suggestions && message.suggestions.length > 0 && (
            <div className="suggestions" data-testid="suggestions">
              {message.suggestions.map((s, i) => (
                <button key={i} type="button" onClick={() => void useWorkspace.getState().applySuggestion(tab.id, s)} data-testid="suggestion">
                  {s.text}
                </button>
              ))}
            </div>
          )}
        </div>
      )}
      {misfit.length > 0 && (
        <div className="message warning misfit" role="status" data-testid="guest-misfit">
          <p>
            <strong>Doesn't fit this host:</strong> {misfit[0].message}
            {misfit.length > 1 ? ` (and ${misfit.length - 1} more)` : ''}.
          </p>
          <button type="button" className="primary" onClick={() => void autoLayout(tab.id)} disabled={!host} data-testid="lay-out-again" title="Lay this guest out on this host with its request">
            Lay out again
          </button>
        </div>
      )}
      {errors.length > 0 && (
        <p className="message error" data-testid="guest-xml-errors">
          The XML has {errors.length} error{errors.length > 1 ? 's' : ''}: {errors[0].message}
          {errors[0].line !== undefined ? ` (line ${errors[0].line})` : ''}
        </p>
      )}
      {/* a layout made for another host: its score and reasons are about that host, not this one */}
      {shown.layout && host && <LayoutHandles guestId={tab.id} layout={shown.layout} score={misfit.length > 0 ? undefined : shown.score} host={host} />}
      {explanation.length > 0 && misfit.length === 0 && (
        <details className="explanation" open>
          <summary>Why this layout</summary>
          <ul data-testid="explanation">
            {explanation.map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

/*
 * The panel's inputs are memoised: a drop re-renders the panel, and React writes an input's
 * name and type again whenever its props are new (its handlers are), which restyles it.
 */
const GuestName = memo(function GuestName({ id, name }: { id: string; name: string }) {
  return (
    <label>
      Name{' '}
      <input value={name} onChange={(e) => useWorkspace.getState().renameGuest(id, e.target.value)} data-testid="guest-name" size={16} />
    </label>
  );
});

/** GiB of a cell's memory to drag instead of all of it. */
const MemoryPart = memo(function MemoryPart({ cell, value, setPart }: { cell: number; value: string; setPart: Dispatch<SetStateAction<Record<number, string>>> }) {
  return (
    <input
      className="part"
      type="number"
      min={0}
      step={0.5}
      placeholder="all"
      value={value}
      onChange={(e) => setPart((p) => ({ ...p, [cell]: e.target.value }))}
      aria-label={`GiB of cell ${cell}'s memory to move (empty: all)`}
      title="GiB to move (empty: all of it)"
    />
  );
});

/** Its own component: the rest of the panel need not render when the queue gets busy. */
function Busy() {
  const busy = useWorkspace((s) => s.busy);
  return busy ? (
    <span className="muted small" data-testid="busy">
      working…
    </span>
  ) : null;
}

/** One line per mode under the select: what the core does with the guest. */
const MODE_HINTS: Record<PartitionMode, string> = {
  auto: 'the fewest host nodes that hold it, one cell per node, 1:1 pins',
  host: "one cell per host node (the talk's mirror), 1:1 pins",
  node: 'one cell on whole nodes, vCPUs float over them',
};

function numberOr(value: string, fallback: number): number {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

/** Memoised: a drop changes the layout, not the request, and the form is the panel's largest part. */
const RequestForm = memo(function RequestForm({ id, request: r, host }: { id: string; request: PartitionRequest; host: Host | null }) {
  const set = (patch: Partial<PartitionRequest>) => useWorkspace.getState().setRequest(id, patch);
  // absent: the mode's own (first-core under 1:1 pins, none when vCPUs float); a choice here sets it
  const reserve = reserveOf(r);
  const [reserveText, setReserveText] = useState(Array.isArray(reserve) ? formatIdList(reserve) : '');
  const hugepageSizes = useMemo(() => [...new Set((host?.nodes ?? []).flatMap((n) => n.hugepages.map((h) => h.sizeKiB)))].sort((a, b) => a - b), [host]);
  const devices = useMemo(() => (host?.pci ?? []).filter((d) => !d.isBridge), [host]);
  const nodesetError = r.nodeset && !parseIdList(r.nodeset).ok ? 'not a node list' : null;
  return (
    <fieldset className="request" data-testid="request">
      <legend className="sr-only">What the guest needs</legend>
      <label>
        vCPUs
        <input type="number" min={1} value={r.vcpus} onChange={(e) => set({ vcpus: Math.round(numberOr(e.target.value, r.vcpus)) })} data-testid="req-vcpus" />
      </label>
      <label>
        Memory (GiB)
        <input
          type="number"
          min={0.25}
          step={0.25}
          value={r.memoryKiB / GiB}
          onChange={(e) => set({ memoryKiB: Math.round(numberOr(e.target.value, r.memoryKiB / GiB) * GiB) })}
          data-testid="req-memory"
        />
      </label>
      <label>
        Mode
        <select value={r.mode} onChange={(e) => set({ mode: e.target.value as PartitionMode })} data-testid="req-mode" aria-describedby={`mode-hint-${id}`}>
          {PARTITION_MODES.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
        <span className="hint" id={`mode-hint-${id}`} data-testid="req-mode-hint">
          {MODE_HINTS[r.mode]}
        </span>
      </label>
      <label>
        Distribution
        <select value={r.distribution} onChange={(e) => set({ distribution: e.target.value as PartitionRequest['distribution'] })} data-testid="req-distribution">
          <option value="contiguous">contiguous</option>
          <option value="siblings">siblings</option>
          <option value="round-robin">round-robin</option>
          <option value="interleave">interleave</option>
        </select>
      </label>
      <label>
        Nodeset
        <input
          value={r.nodeset ?? ''}
          placeholder="any (e.g. 0-3,^2)"
          onChange={(e) => set({ nodeset: e.target.value.trim() === '' ? undefined : e.target.value })}
          aria-invalid={nodesetError !== null}
          data-testid="req-nodeset"
        />
      </label>
      <label>
        Cells
        <input
          type="number"
          min={1}
          value={r.cells ?? ''}
          placeholder="auto"
          onChange={(e) => set({ cells: e.target.value === '' ? undefined : Math.round(numberOr(e.target.value, 1)) })}
          data-testid="req-cells"
        />
      </label>
      <CellSizes id={id} request={r} />
      <label>
        Reserve for the host
        <select
          value={Array.isArray(reserve) ? 'list' : reserve}
          onChange={(e) => {
            const v = e.target.value;
            if (v === 'list') {
              const parsed = parseIdList(reserveText);
              set({ reserve: parsed.ok ? parsed.ids : [] });
            } else set({ reserve: v as ReserveKeyword });
          }}
          data-testid="req-reserve"
        >
          <option value="first-core">first core of each node</option>
          <option value="none">nothing</option>
          <option value="list">these CPUs…</option>
        </select>
      </label>
      {Array.isArray(reserve) && (
        <label>
          Reserved CPUs
          <input
            value={reserveText}
            placeholder="0,60"
            onChange={(e) => {
              setReserveText(e.target.value);
              const parsed = parseIdList(e.target.value);
              if (parsed.ok) set({ reserve: parsed.ids });
            }}
            data-testid="req-reserve-list"
          />
        </label>
      )}
      <label>
        Threads
        <select value={r.threadPolicy} onChange={(e) => set({ threadPolicy: e.target.value as PartitionRequest['threadPolicy'] })} data-testid="req-threads">
          <option value="prefer">prefer siblings</option>
          <option value="isolate">isolate (one vCPU per core)</option>
          <option value="require">require siblings</option>
        </select>
      </label>
      <label>
        Hugepages
        <select
          value={r.hugepageSizeKiB ?? ''}
          onChange={(e) => set({ hugepageSizeKiB: e.target.value === '' ? undefined : Number(e.target.value) })}
          data-testid="req-hugepages"
        >
          <option value="">none</option>
          {hugepageSizes.map((s) => (
            <option key={s} value={s}>
              {formatKiB(s)}
            </option>
          ))}
        </select>
      </label>
      {devices.length > 0 && (
        <details className="devices">
          <summary>PCI devices ({r.devices.length} given)</summary>
          <ul>
            {devices.map((d) => {
              const chosen = r.devices.find((x) => x.bdf === d.bdf);
              return (
                <li key={d.bdf}>
                  <label>
                    <input
                      type="checkbox"
                      checked={!!chosen}
                      onChange={(e) =>
                        set({ devices: e.target.checked ? [...r.devices, { bdf: d.bdf, policy: 'preferred' }] : r.devices.filter((x) => x.bdf !== d.bdf) })
                      }
                    />
                    <code>{d.bdf}</code> {d.device ?? d.className ?? ''}{' '}
                    <span className="muted">{d.node === null ? 'no NUMA node' : `node ${d.node}`}</span>
                  </label>
                  {chosen && (
                    <select
                      value={chosen.policy}
                      onChange={(e) => set({ devices: r.devices.map((x) => (x.bdf === d.bdf ? { ...x, policy: e.target.value as DevicePolicy } : x)) })}
                      aria-label={`Locality of ${d.bdf}`}
                    >
                      <option value="preferred">local if possible</option>
                      <option value="required">must be local</option>
                    </select>
                  )}
                </li>
              );
            })}
          </ul>
        </details>
      )}
    </fieldset>
  );
});

function SizesField(p: { label: string; text: string; placeholder: string; invalid: boolean; testid: string; onText: (text: string) => void }) {
  return (
    <label>
      {p.label}
      <input value={p.text} placeholder={p.placeholder} onChange={(e) => p.onText(e.target.value)} aria-invalid={p.invalid} data-testid={p.testid} />
    </label>
  );
}

/**
 * Explicit cell sizes (Nova's hw:numa_cpus.N / hw:numa_mem.N): the text stays as typed, the
 * request changes when it reads; empty fields leave the split to the mode.
 */
function CellSizes({ id, request: r }: { id: string; request: PartitionRequest }) {
  const set = (patch: Partial<PartitionRequest>) => useWorkspace.getState().setRequest(id, patch);
  const [vcpuText, setVcpuText] = useState(formatCellVcpus(r.cellVcpus));
  const [memoryText, setMemoryText] = useState(formatCellMemory(r.cellMemoryKiB));
  const vcpus = parseCellVcpus(vcpuText);
  const memory = parseCellMemory(memoryText);
  const mismatch = cellSizesMismatch(r.vcpus, r.memoryKiB, r.cellVcpus, r.cellMemoryKiB);
  const problem = !vcpus.ok ? vcpus.error : !memory.ok ? memory.error : mismatch;
  return (
    <>
      <SizesField
        label="Cell vCPUs"
        text={vcpuText}
        placeholder="mode's own (e.g. 8,8,5)"
        invalid={!vcpus.ok}
        testid="req-cell-vcpus"
        onText={(text) => {
          setVcpuText(text);
          const read = parseCellVcpus(text);
          if (read.ok) set({ cellVcpus: read.sizes });
        }}
      />
      <SizesField
        label="Cell memory"
        text={memoryText}
        placeholder="in proportion (e.g. 16GiB,8GiB)"
        invalid={!memory.ok}
        testid="req-cell-memory"
        onText={(text) => {
          setMemoryText(text);
          const read = parseCellMemory(text);
          if (read.ok) set({ cellMemoryKiB: read.sizes });
        }}
      />
      {problem && (
        <p className="field-problem" data-testid="req-cell-sizes-problem">
          {problem}
        </p>
      )}
    </>
  );
}

/** The layout as handles: cells and their memory move to a node, vCPUs to a CPU, core or node. */
const LayoutHandles = memo(function LayoutHandles({ guestId, layout, score, host }: { guestId: string; layout: GuestLayout; score: GuestTab['score']; host: Host }) {
  const colours = useCellColours();
  const g = drawnIndexOf(guestId);
  const selection = useDnd((s) => s.selection);
  // only a keyboard move lifts a handle here: a pointer drag's every move need not render the table
  const lifting = useDnd((s) => (s.active?.via === 'keyboard' ? s.active.source : null));
  const [part, setPart] = useState<Record<number, string>>({});
  const nodeOfCpu = useMemo(() => new Map(host.cpus.map((c) => [c.id, c.node ?? null])), [host]);
  const pinOf = (v: number) => layout.pins.find((p) => p.vcpu === v)?.cpus ?? [];
  const startOfVcpu = (v: number) => (): DropTarget | null => {
    const cpus = pinOf(v);
    if (cpus.length === 1) return { kind: 'pu', cpu: cpus[0], node: nodeOfCpu.get(cpus[0]) ?? null };
    const node = layout.cells.find((c) => c.vcpus.includes(v))?.hostNodes[0];
    return node === undefined ? null : { kind: 'node', node };
  };
  const selected = (v: number) => selection?.guestId === guestId && selection.vcpus.includes(v);
  const lifted = (kind: string, n: number) =>
    lifting?.guestId === guestId && lifting.kind === kind && (lifting.kind === 'vcpus' ? lifting.vcpus.includes(n) : 'cell' in lifting && lifting.cell === n);
  return (
    <div className="layout-handles" data-testid="layout-handles">
      <p className="muted small">
        Drag a vCPU, a cell or its memory onto a CPU, core or node of the topology (Ctrl/Shift-click picks several vCPUs), or focus one, press Enter, then
        the arrow keys and Enter.
      </p>
      <table className="cells">
        <thead>
          <tr>
            <th scope="col">cell</th>
            <th scope="col">vCPUs</th>
            <th scope="col">memory</th>
          </tr>
        </thead>
        <tbody>
          {layout.cells.map((c) => {
            const sw = colours(Math.max(0, g), c.id);
            const kib = part[c.id] ? Math.round(Number(part[c.id]) * GiB) : undefined;
            const memDrag = kib && kib > 0 && kib < c.memoryKiB ? `memory:${guestId}:${c.id}:${kib}` : `memory:${guestId}:${c.id}`;
            const memSource = kib && kib > 0 && kib < c.memoryKiB ? { kind: 'memory' as const, guestId: guestId, cell: c.id, kib } : { kind: 'memory' as const, guestId: guestId, cell: c.id };
            return (
              <tr key={c.id} data-testid={`cell-${c.id}`}>
                <th scope="row">
                  <button
                    type="button"
                    className={`handle cell-handle${lifted('cell', c.id) ? ' lifted' : ''}`}
                    style={{ background: sw.fill, color: sw.text }}
                    data-drag={`cell:${guestId}:${c.id}`}
                    onKeyDown={keyboardDrag({ kind: 'cell', guestId: guestId, cell: c.id }, () => (c.hostNodes[0] === undefined ? null : { kind: 'node', node: c.hostNodes[0] }))}
                    aria-label={`cell ${c.id} on node ${formatIdList(c.hostNodes)}: press Enter to move it`}
                  >
                    cell {c.id} → node {formatIdList(c.hostNodes)}
                  </button>
                </th>
                <td>
                  <div className="vcpu-chips">
                    {c.vcpus.map((v) => {
                      const cpus = pinOf(v);
                      return (
                        <button
                          key={v}
                          type="button"
                          className={`handle vcpu-chip${selected(v) ? ' selected' : ''}${lifted('vcpus', v) ? ' lifted' : ''}`}
                          style={{ borderColor: sw.fill }}
                          data-drag={`vcpu:${guestId}:${v}`}
                          data-testid={`vcpu-chip-${v}`}
                          aria-pressed={selected(v)}
                          onKeyDown={keyboardDrag(vcpuSourceFor(guestId, v), startOfVcpu(v))}
                          aria-label={`vCPU ${v}, ${cpus.length === 1 ? `on CPU ${cpus[0]}` : cpus.length > 0 ? `floats over CPUs ${formatIdList(cpus)}` : 'not pinned'}: press Enter to move it`}
                        >
                          v{v}
                          <span className="pin">{cpus.length === 1 ? `→${cpus[0]}` : cpus.length > 0 ? '~' : ''}</span>
                        </button>
                      );
                    })}
                  </div>
                </td>
                <td>
                  <button
                    type="button"
                    className={`handle mem-handle${lifted('memory', c.id) ? ' lifted' : ''}`}
                    data-drag={memDrag}
                    onKeyDown={keyboardDrag(memSource, () => (c.hostNodes[0] === undefined ? null : { kind: 'node', node: c.hostNodes[0] }))}
                    aria-label={`cell ${c.id}'s memory, ${formatKiB(c.memoryKiB)} on node ${formatIdList(c.hostNodes)}: press Enter to move it`}
                  >
                    {formatKiB(c.memoryKiB)} @ {formatIdList(c.hostNodes)}
                    {c.hostNodes.length > 1 ? ` (${c.memoryMode})` : ''}
                  </button>
                  <MemoryPart cell={c.id} value={part[c.id] ?? ''} setPart={setPart} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {score && (
        <p className="muted small" data-testid="score">
          {/* In the order layouts are ranked (score-parts.ts compareScores): the distance cost last. */}
          {score.nodes} node{score.nodes === 1 ? '' : 's'}
          {score.remoteVcpus > 0 ? ` · ${score.remoteVcpus} vCPU${score.remoteVcpus === 1 ? '' : 's'} away from their memory (distance ${score.remoteDistance})` : ''}
          {score.splitCores > 0 ? ` · ${score.splitCores} core${score.splitCores === 1 ? '' : 's'} split across cells` : ''}
          {score.smtShared > 0 ? ` · ${score.smtShared} core${score.smtShared === 1 ? '' : 's'} shared with other guests` : ''}
          {` · distance cost ${Math.round(score.distanceCost * 1000) / 1000}`}
        </p>
      )}
    </div>
  );
});

function vcpuSourceFor(guestId: string, v: number) {
  const sel = useDnd.getState().selection;
  return sel?.guestId === guestId && sel.vcpus.includes(v) ? { kind: 'vcpus' as const, guestId, vcpus: sel.vcpus } : { kind: 'vcpus' as const, guestId, vcpus: [v] };
}
