/** Every format numascope reads. Detection takes the most confident sniff; ties go to the earlier entry. */
import type { Format } from './format.ts';
import { hwlocSyntheticFormat } from './hwloc-synthetic.ts';
import { hwlocXmlFormat } from './hwloc-xml.ts';
import { lscpuFormat } from './lscpu.ts';
import { lscpuExtendedFormat } from './lscpu-e.ts';
import { lscpuJsonFormat } from './lscpu-json.ts';
import { lscpuParseFormat } from './lscpu-p.ts';
import { lspciTreeFormat } from './lspci-tree.ts';
import { lspciVerboseFormat } from './lspci-verbose.ts';
import { lstopoFormat } from './lstopo.ts';
import { nodedevFormat } from './nodedev.ts';
import { numactlFormat } from './numactl.ts';
import { sosreportFormat } from './sosreport.ts';
import { sysfsFormat } from './sysfs.ts';
import type { TreeFormat } from './tree.ts';
import { virshCapsFormat } from './virsh-caps.ts';
import { xlInfoFormat } from './xl-info.ts';

export const formats: readonly Format[] = [
  hwlocXmlFormat,
  virshCapsFormat,
  nodedevFormat,
  lscpuFormat,
  lscpuExtendedFormat,
  lscpuParseFormat,
  lscpuJsonFormat,
  numactlFormat,
  lstopoFormat,
  lspciTreeFormat,
  lspciVerboseFormat,
  xlInfoFormat,
  hwlocSyntheticFormat,
];

/** Archives, detected by their paths. A sosreport holds a sysfs tree too, and reads it itself. */
export const treeFormats: readonly TreeFormat[] = [sosreportFormat, sysfsFormat];
