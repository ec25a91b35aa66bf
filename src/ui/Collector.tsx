/**
 * The collector line beside the paste box: one shell line to run on a KVM host as root, whose
 * whole output pasted (or saved and opened) gives the host and every guest defined on it.
 */
import { useState } from 'react';
import { COLLECTOR } from '../core/ingest/collector.ts';
import { copyText } from './clipboard.ts';

export function Collector() {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await copyText(COLLECTOR);
    setCopied(true);
  };
  return (
    <details className="collector" data-testid="collector">
      <summary>Collect from a host</summary>
      <p className="hint">
        Run this on the KVM host as root and paste all it prints into one box (or save it to a file and open that). It prints{' '}
        <code>lscpu -e</code>, <code>numactl -H</code>, <code>lspci -tv</code>, <code>lstopo</code>'s XML, <code>virsh capabilities</code>, every
        guest's <code>virsh dumpxml</code> and <code>numastat -c qemu</code>, whichever the host has. The guests open as tabs found on the host. A
        sosreport (<code>sos report -o processor,numa,pci,libvirt,host</code>) can be dropped as it is.
      </p>
      <pre className="collector-line" data-testid="collector-line" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
        {COLLECTOR}
      </pre>
      <button type="button" onClick={() => void copy()} data-testid="collector-copy">
        {copied ? 'Copied' : 'Copy'}
      </button>
    </details>
  );
}
