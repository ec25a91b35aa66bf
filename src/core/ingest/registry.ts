/** Every format numascope reads, in the order ties in detection are broken. */
import type { Format } from './format.ts';
import { lscpuFormat } from './lscpu.ts';
import { lscpuExtendedFormat } from './lscpu-e.ts';
import { lspciTreeFormat } from './lspci-tree.ts';
import { numactlFormat } from './numactl.ts';
import { xlInfoFormat } from './xl-info.ts';

export const formats: readonly Format[] = [lscpuFormat, lscpuExtendedFormat, numactlFormat, lspciTreeFormat, xlInfoFormat];
