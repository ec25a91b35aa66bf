/**
 * The other views of the layout the XML describes, as tabs beside the editor: what to type
 * into virsh, what QEMU will be told, the xl.cfg lines for Xen, what the guest itself will
 * print, and the vCPU → host CPU affinity map. Each is core/emit's text, with a copy button.
 */
import { memo, useId, useMemo, useState } from 'react';
import { affinityGrid, affinityMap } from '../../core/emit/affinity.ts';
import { guestLscpu, guestLscpuExtended, guestNumactl } from '../../core/emit/guest-view.ts';
import { DEFAULT_QEMU_OPTIONS, qemuArgv } from '../../core/emit/qemu.ts';
import { virshCommands } from '../../core/emit/virsh.ts';
import { xlConfig } from '../../core/emit/xl.ts';
import type { GuestLayout } from '../../core/guest/model.ts';
import type { Host } from '../../core/host/model.ts';
import './editor.css';
import { copyText } from '../clipboard.ts';

export interface ViewTabsProps {
  layout: GuestLayout | null;
  host: Host | null;
  /** The domain's <name> (read off the main thread with the layout); "guest" when it has none. */
  domainName: string | null;
  /** Why the layout would not run as it stands (its errors, or a host it does not fit); null when it would. */
  trouble: string | null;
}

interface View {
  id: string;
  label: string;
  /** Commands to run: a layout with errors would fail in them, and the view says so at its top. */
  runs?: true;
  /** The text, or why there is none. */
  render(layout: GuestLayout, host: Host | null, domain: string): { text: string } | { note: string };
}

const VIEWS: readonly View[] = [
  { id: 'virsh', label: 'virsh', runs: true, render: (layout, _host, domain) => ({ text: virshCommands(layout, domain) }) },
  { id: 'qemu', label: 'QEMU command line', runs: true, render: (layout, _host, domain) => ({ text: qemuArgv(layout, { ...DEFAULT_QEMU_OPTIONS, name: domain }) }) },
  { id: 'xl', label: 'xl vnuma', runs: true, render: (layout) => ({ text: xlConfig(layout) }) },
  { id: 'numactl', label: 'guest numactl -H', render: (layout) => ({ text: `$ numactl -H\n${guestNumactl(layout)}` }) },
  {
    id: 'lscpu',
    label: 'guest lscpu',
    render: (layout, host) => ({
      text: `$ lscpu\n${guestLscpu(layout, { architecture: host?.machine.arch ?? 'x86_64' })}\n$ lscpu -e=CPU,NODE,SOCKET,CORE,ONLINE\n${guestLscpuExtended(layout)}`,
    }),
  },
  {
    id: 'affinity',
    label: 'affinity map',
    render: (layout, host) => (host ? { text: affinityGrid(affinityMap(host, layout)) } : { note: 'Paste the host to see which host CPUs each vCPU may run on.' }),
  },
];

/** Memoised: it is handed its inputs a frame after the XML (see XmlPane), and renders only then. */
export const ViewTabs = memo(function ViewTabs({ layout, host, domainName, trouble }: ViewTabsProps) {
  const [selected, setSelected] = useState(VIEWS[0].id);
  const [copied, setCopied] = useState<string | null>(null);
  const base = useId();
  const domain = domainName ?? 'guest';
  const view = VIEWS.find((v) => v.id === selected) ?? VIEWS[0];
  const shown = useMemo(
    () => (layout ? view.render(layout, host, domain) : { note: 'No guest layout yet: lay a guest out or fix the domain XML.' }),
    [view, layout, host, domain],
  );

  const copy = async (text: string) => {
    await copyText(text);
    setCopied(view.id);
    setTimeout(() => setCopied((c) => (c === view.id ? null : c)), 1500);
  };

  return (
    <div className="view-tabs" data-testid="view-tabs">
      <div role="tablist" aria-label="Other views of the layout">
        {VIEWS.map((v) => (
          <button
            key={v.id}
            type="button"
            role="tab"
            id={`${base}-${v.id}`}
            aria-selected={v.id === view.id}
            aria-controls={`${base}-panel`}
            data-testid={`view-tab-${v.id}`}
            onClick={() => setSelected(v.id)}
          >
            {v.label}
          </button>
        ))}
      </div>
      <div className="view-panel" role="tabpanel" id={`${base}-panel`} aria-labelledby={`${base}-${view.id}`} data-testid="view-panel" data-view={view.id}>
        {'text' in shown ? (
          <>
            {view.runs && trouble && (
              <p className="view-trouble" role="status" data-testid="view-trouble">
                {trouble}
              </p>
            )}
            <button type="button" className="view-copy" data-testid="view-copy" onClick={() => void copy(shown.text)}>
              {copied === view.id ? 'Copied' : 'Copy'}
            </button>
            <pre data-testid="view-text">{shown.text}</pre>
          </>
        ) : (
          <p className="view-note">{shown.note}</p>
        )}
      </div>
    </div>
  );
});
