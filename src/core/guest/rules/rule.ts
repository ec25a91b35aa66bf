/**
 * One validation rule over a GuestLayout, in the spirit of libvirt's conf code: each rule checks
 * one thing and reports it with libvirt's own text where libvirt has one. Rules that need the
 * host (node ids, online CPUs, page sizes) get it; without one they stay silent.
 */
import type { Diagnostic, Severity } from '../../diagnostics.ts';
import type { Host } from '../../host/model.ts';
import type { GuestLayout } from '../model.ts';

export type LayoutRule = (layout: GuestLayout, host?: Host) => Diagnostic[];

/** Diagnostics about a layout have no line: the XML layer maps `path` to one. */
export const LAYOUT_SOURCE = 'layout';

export function layoutDiagnostic(severity: Severity, path: string, message: string): Diagnostic {
  return { severity, source: LAYOUT_SOURCE, path, message };
}

export const CELL_PATH = (id: number): string => `/domain/cpu/numa/cell[@id='${id}']`;
export const MEMNODE_PATH = (cellid: number): string => `/domain/numatune/memnode[@cellid='${cellid}']`;
export const VCPUPIN_PATH = (vcpu: number): string => `/domain/cputune/vcpupin[@vcpu='${vcpu}']`;
export const TOPOLOGY_PATH = '/domain/cpu/topology';
export const VCPU_PATH = '/domain/vcpu';

export function isCount(n: number): boolean {
  return Number.isInteger(n) && n >= 1;
}
