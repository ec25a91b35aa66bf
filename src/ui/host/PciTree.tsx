/**
 * PCI locality: one left-to-right tree per root complex (host bridge → bridges → devices with
 * class, names, OS devices and link speed), grouped under the NUMA node it is attached to, and
 * the devices with unknown locality in a group of their own. SR-IOV VFs fold into their PF with
 * a count, and so do long runs of identical sibling functions (lstopo's collapse).
 */
import type { Host, PciDevice } from '../../core/host/model.ts';
import { useApp } from '../../state/store.ts';

interface TreeItem {
  device: PciDevice;
  children: TreeItem[];
  vfs: number;
}

/** DOM id for a device: PCI_0000_00_02_0. */
export function pciDomId(bdf: string): string {
  return `PCI_${bdf.replace(/[:.]/g, '_')}`;
}

export function PciTree({ host }: { host: Host }) {
  const setHighlight = useApp((s) => s.setHighlight);
  if (host.pci.length === 0) return <p className="muted">No PCI devices in these pastes (lspci -tv, lspci -vvv, hwloc XML with I/O, or virsh nodedev-dumpxml give them).</p>;
  const byNode = new Map<number | null, PciDevice[]>();
  for (const d of host.pci) {
    if (d.physfn) continue;
    const list = byNode.get(d.node) ?? [];
    list.push(d);
    byNode.set(d.node, list);
  }
  const vfCount = new Map<string, number>();
  for (const d of host.pci) if (d.physfn) vfCount.set(d.physfn, (vfCount.get(d.physfn) ?? 0) + 1);
  const keys = [...byNode.keys()].sort((a, b) => (a === null ? 1 : b === null ? -1 : a - b));
  return (
    <div className="pci">
      {keys.map((node) => {
        const devices = byNode.get(node) ?? [];
        const roots = rootsOf(devices, vfCount);
        return (
          <section
            key={String(node)}
            className={node === null ? 'pci-node unknown' : 'pci-node'}
            data-testid={node === null ? 'pci-node-unknown' : `pci-node-${node}`}
            onPointerEnter={() => node !== null && setHighlight({ nodes: [node], cpus: [] })}
            onPointerLeave={() => setHighlight(null)}
          >
            <h3>{node === null ? 'Unknown locality (the kernel reports no NUMA node)' : `NUMA node ${node}`}</h3>
            {[...roots.entries()].map(([root, items]) => (
              <div key={root} className="pci-root">
                <div className="pci-hostbridge" title={`Host bridge / root complex ${root}`}>
                  <span className="mono">{root}</span>
                </div>
                <ul className="pci-children">
                  {collapse(items).map((it) => (
                    <PciItem key={it.item.device.bdf} item={it.item} same={it.same} />
                  ))}
                </ul>
              </div>
            ))}
          </section>
        );
      })}
    </div>
  );
}

function rootsOf(devices: PciDevice[], vfCount: Map<string, number>): Map<string, TreeItem[]> {
  const items = new Map(devices.map((d) => [d.bdf, { device: d, children: [] as TreeItem[], vfs: vfCount.get(d.bdf) ?? 0 }]));
  const roots = new Map<string, TreeItem[]>();
  for (const item of items.values()) {
    const parent = item.device.parent ? items.get(item.device.parent) : undefined;
    if (parent) {
      parent.children.push(item);
      continue;
    }
    const root = item.device.root ?? item.device.bdf.slice(0, 7);
    const list = roots.get(root) ?? [];
    list.push(item);
    roots.set(root, list);
  }
  return new Map([...roots.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/** Runs of three or more identical leaf functions show as the first one and a count. */
function collapse(items: TreeItem[]): { item: TreeItem; same: number }[] {
  const sorted = [...items].sort((a, b) => a.device.bdf.localeCompare(b.device.bdf));
  const out: { item: TreeItem; same: number }[] = [];
  const key = (t: TreeItem) => (t.children.length > 0 || t.device.osDevices.length > 0 ? null : `${t.device.vendorId}:${t.device.deviceId}:${t.device.device}:${t.device.className}`);
  for (const t of sorted) {
    const last = out[out.length - 1];
    const k = key(t);
    if (last && k !== null && key(last.item) === k) last.same++;
    else out.push({ item: t, same: 0 });
  }
  // Two of a kind read better spelled out; only fold real runs.
  return out.flatMap((o) => (o.same === 1 ? [{ item: o.item, same: 0 }, { item: sorted[sorted.indexOf(o.item) + 1], same: 0 }] : [o]));
}

function PciItem({ item, same }: { item: TreeItem; same: number }) {
  const d = item.device;
  const short = d.bdf.startsWith('0000:') ? d.bdf.slice(5) : d.bdf;
  const name = [d.vendor, d.device].filter(Boolean).join(' ') || (d.vendorId ? `${d.vendorId}:${d.deviceId}` : '');
  return (
    <li className="pci-item">
      {d.link && <span className="pci-link" title="Link speed">{d.link}</span>}
      <div className="pci-line">
        <div id={pciDomId(d.bdf)} className={d.isBridge ? 'pci-dev bridge' : 'pci-dev'} data-testid="pci-device" data-bdf={d.bdf} title={[d.bdf, d.className, name, d.driver && `driver ${d.driver}`, d.iommuGroup !== undefined && `IOMMU group ${d.iommuGroup}`].filter(Boolean).join('\n')}>
          <span className="mono">{short}</span>
          {!d.isBridge && <span className="pci-class">{d.className ?? d.classCode ?? 'device'}</span>}
          {!d.isBridge && name && <span className="pci-name">{name}</span>}
          {d.osDevices.length > 0 && (
            <span className="pci-os">
              {d.osDevices.map((o) => (
                <span key={o.name} className="osdev" title={o.kind}>
                  {o.name}
                </span>
              ))}
            </span>
          )}
          {item.vfs > 0 && (
            <span className="pci-vfs" data-testid="pci-vfs">
              + {item.vfs} VF{item.vfs > 1 ? 's' : ''}
            </span>
          )}
          {same > 0 && (
            <span className="pci-same" data-testid="pci-same">
              × {same + 1} identical
            </span>
          )}
        </div>
        {item.children.length > 0 && (
          <ul className="pci-children">
            {collapse(item.children).map((c) => (
              <PciItem key={c.item.device.bdf} item={c.item} same={c.same} />
            ))}
          </ul>
        )}
      </div>
    </li>
  );
}
