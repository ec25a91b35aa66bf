/**
 * PCI locality: one left-to-right tree per root complex (host bridge → bridges → devices with
 * class, names, OS devices and link speed), grouped under the NUMA node it is attached to, and
 * the devices with unknown locality in a group of their own. SR-IOV VFs fold into their PF with
 * a count, and so do long runs of identical sibling functions (lstopo's collapse).
 */
import type { Host } from '../../core/host/model.ts';
import { useApp } from '../../state/store.ts';
import { collapseRuns as collapse, pciLocalities, pciRoots, shortBdf, type PciTreeItem as TreeItem } from './io.ts';

/** DOM id for a device: PCI_0000_00_02_0. */
export function pciDomId(bdf: string): string {
  return `PCI_${bdf.replace(/[:.]/g, '_')}`;
}

export function PciTree({ host }: { host: Host }) {
  const setHighlight = useApp((s) => s.setHighlight);
  if (host.pci.length === 0) return <p className="muted">No PCI devices in these pastes (lspci -tv, lspci -vvv, hwloc XML with I/O, or virsh nodedev-dumpxml give them).</p>;
  const keys = pciLocalities(host);
  return (
    <div className="pci">
      {keys.map((node) => {
        const roots = pciRoots(host, node);
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

function PciItem({ item, same }: { item: TreeItem; same: number }) {
  const d = item.device;
  const short = shortBdf(d.bdf);
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
