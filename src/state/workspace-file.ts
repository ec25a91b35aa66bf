/**
 * The workspace as one file: the host's pastes and every guest's name, request and domain XML
 * (the XML is the truth; layouts are read back from it), and where a guest found on a host came
 * from. Reading a file checks every field and
 * reports each problem by where it is, like a paste's diagnostics; a file with any error changes
 * nothing.
 */
import type { Diagnostic } from '../core/diagnostics.ts';
import { CPUMASK_LEN, MAX_CELLS, MAX_MEMORY_KIB, MAX_VCPUS } from '../core/guest/limits.ts';
import {
  DEFAULT_REQUEST,
  DEVICE_POLICIES,
  DISTRIBUTIONS,
  PARTITION_MODES,
  PINNINGS,
  RESERVE_KEYWORDS,
  THREAD_POLICIES,
  type DeviceRequest,
  type PartitionRequest,
} from '../core/partition/request.ts';

export const WORKSPACE_FORMAT = 'numascope-workspace';
/**
 * 2: requests default to mode auto, and the reserve to the mode's own (reserveOf), so files
 * always write the mode. 1: a request without a mode meant the talk's mode host, and without a
 * reserve first-core; files of version 1 are read with those defaults and keep their meaning.
 */
export const WORKSPACE_VERSION = 2;

/** What a request's absent fields meant in each version of the file (before 2: DEFAULT_REQUEST of the time). */
function defaultsOf(version: number): PartitionRequest {
  return version < 2 ? { ...DEFAULT_REQUEST, mode: 'host', reserve: 'first-core', devices: [] } : { ...DEFAULT_REQUEST, devices: [] };
}

export interface WorkspaceGuestFile {
  name: string;
  request: PartitionRequest;
  xml: string;
  /** Set for a guest found on a host (GuestTab.found): where its XML came from. */
  found?: { source: string };
}

export interface WorkspaceFile {
  format: typeof WORKSPACE_FORMAT;
  version: number;
  pastes: { name: string; text: string }[];
  guests: WorkspaceGuestFile[];
  /** Index of the guest shown, when there is one. */
  active?: number;
}

export function serializeWorkspace(file: Omit<WorkspaceFile, 'format' | 'version'>): string {
  const out: WorkspaceFile = { format: WORKSPACE_FORMAT, version: WORKSPACE_VERSION, ...file };
  return JSON.stringify(out, null, 2) + '\n';
}

export type ParsedWorkspace = { ok: true; file: WorkspaceFile; diagnostics: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;
/** A count no larger than what libvirt and QEMU take (core/guest/limits.ts): a file's numbers never drive a loop past a real guest's. */
const within = (v: unknown, max: number): v is number => isCount(v) && v <= max;
/** A list of counts, each within `max`, at most `length` of them. */
const counts = (v: unknown, length: number, max: number): v is number[] => Array.isArray(v) && v.length > 0 && v.length <= length && v.every((x) => within(x, max));
/** PCI devices a guest may be given: more than a machine has slots for is no real file. */
const MAX_DEVICES = 256;

export function parseWorkspace(text: string, source = 'workspace'): ParsedWorkspace {
  const diagnostics: Diagnostic[] = [];
  const error = (path: string, message: string) => diagnostics.push({ severity: 'error', source, path, message });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    diagnostics.push({ severity: 'error', source, message: `not a workspace file: ${err instanceof Error ? err.message : String(err)}` });
    return { ok: false, diagnostics };
  }
  if (!isObject(data) || data.format !== WORKSPACE_FORMAT) {
    error('/', `not a workspace file: "format" must be "${WORKSPACE_FORMAT}"`);
    return { ok: false, diagnostics };
  }
  if (data.version === undefined) {
    error('/version', 'the workspace file has no "version"');
    return { ok: false, diagnostics };
  }
  if (typeof data.version !== 'number' || !Number.isInteger(data.version) || data.version < 1) {
    const shown = JSON.stringify(data.version).slice(0, 40);
    error('/version', typeof data.version === 'number' ? `workspace version ${shown} is not a whole number from 1 up` : `workspace version ${shown} is not a number`);
    return { ok: false, diagnostics };
  }
  if (data.version > WORKSPACE_VERSION) {
    error('/version', `workspace version ${data.version} is newer than this numascope reads (${WORKSPACE_VERSION})`);
    return { ok: false, diagnostics };
  }
  const version = data.version;
  const pastes: WorkspaceFile['pastes'] = [];
  if (!Array.isArray(data.pastes)) error('/pastes', 'expected a list of pastes');
  else
    data.pastes.forEach((p, i) => {
      if (isObject(p) && typeof p.name === 'string' && typeof p.text === 'string') pastes.push({ name: p.name, text: p.text });
      else error(`/pastes[${i}]`, 'a paste needs a "name" and a "text"');
    });
  const guests: WorkspaceGuestFile[] = [];
  if (!Array.isArray(data.guests)) error('/guests', 'expected a list of guests');
  else
    data.guests.forEach((g, i) => {
      const at = `/guests[${i}]`;
      if (!isObject(g) || typeof g.name !== 'string' || typeof g.xml !== 'string') {
        error(at, 'a guest needs a "name" and its domain "xml"');
        return;
      }
      const request = readRequest(g.request, `${at}/request`, error, version);
      const found = readFound(g.found, `${at}/found`, error);
      if (request && found !== null) guests.push({ name: g.name, request, xml: g.xml, ...(found ? { found } : {}) });
    });
  const file: WorkspaceFile = { format: WORKSPACE_FORMAT, version: WORKSPACE_VERSION, pastes, guests };
  if (typeof data.active === 'number' && Number.isInteger(data.active) && data.active >= 0 && data.active < guests.length) file.active = data.active;
  return diagnostics.length > 0 ? { ok: false, diagnostics } : { ok: true, file, diagnostics };
}

/** A guest's found mark: absent (undefined), well formed, or an error (null). */
export function readFound(v: unknown, at: string, error: (path: string, message: string) => void): { source: string } | undefined | null {
  if (v === undefined) return undefined;
  if (isObject(v) && typeof v.source === 'string') return { source: v.source };
  error(at, 'a found guest needs the "source" its XML came from');
  return null;
}

function oneOf<T extends string>(v: unknown, options: readonly T[]): v is T {
  return typeof v === 'string' && (options as readonly string[]).includes(v);
}

/** "a, b or c", for messages that name what is allowed. */
function either(options: readonly string[]): string {
  return options.length < 2 ? options.join('') : `${options.slice(0, -1).join(', ')} or ${options[options.length - 1]}`;
}

/** A request from a file of `version`: absent fields take that version's defaults, wrong ones are errors. */
export function readRequest(v: unknown, at: string, error: (path: string, message: string) => void, version = WORKSPACE_VERSION): PartitionRequest | null {
  if (v === undefined) return defaultsOf(version);
  if (!isObject(v)) {
    error(at, 'expected a partition request');
    return null;
  }
  const r = defaultsOf(version);
  let ok = true;
  const bad = (field: string, message: string) => {
    ok = false;
    error(`${at}/${field}`, message);
  };
  if (v.vcpus !== undefined) within(v.vcpus, MAX_VCPUS) ? (r.vcpus = v.vcpus) : bad('vcpus', `vCPUs must be a whole number from 1 to ${MAX_VCPUS}`);
  if (v.memoryKiB !== undefined) within(v.memoryKiB, MAX_MEMORY_KIB) ? (r.memoryKiB = v.memoryKiB) : bad('memoryKiB', `memory must be a whole number of KiB from 1 to ${MAX_MEMORY_KIB}`);
  if (v.mode !== undefined) oneOf(v.mode, PARTITION_MODES) ? (r.mode = v.mode) : bad('mode', `mode must be ${either(PARTITION_MODES)}`);
  if (v.distribution !== undefined)
    oneOf(v.distribution, DISTRIBUTIONS) ? (r.distribution = v.distribution) : bad('distribution', `distribution must be ${either(DISTRIBUTIONS)}`);
  if (v.pinning !== undefined) oneOf(v.pinning, PINNINGS) ? (r.pinning = v.pinning) : bad('pinning', `pinning must be ${either(PINNINGS)}`);
  if (v.threadPolicy !== undefined)
    oneOf(v.threadPolicy, THREAD_POLICIES) ? (r.threadPolicy = v.threadPolicy) : bad('threadPolicy', `thread policy must be ${either(THREAD_POLICIES)}`);
  if (v.reserve !== undefined) {
    if (oneOf(v.reserve, RESERVE_KEYWORDS)) r.reserve = v.reserve;
    else if (Array.isArray(v.reserve) && v.reserve.length <= CPUMASK_LEN && v.reserve.every((c) => Number.isInteger(c) && c >= 0 && c < CPUMASK_LEN)) r.reserve = v.reserve as number[];
    else bad('reserve', `reserve must be ${either([...RESERVE_KEYWORDS, 'a list of CPU numbers'])}`);
  }
  if (v.nodeset !== undefined)
    typeof v.nodeset === 'string' && v.nodeset.length <= CPUMASK_LEN ? (r.nodeset = v.nodeset) : bad('nodeset', 'nodeset must be a libvirt node list such as "0-3,^2"');
  if (v.cells !== undefined) within(v.cells, MAX_CELLS) ? (r.cells = v.cells) : bad('cells', `cells must be a whole number from 1 to ${MAX_CELLS}`);
  if (v.cellVcpus !== undefined) counts(v.cellVcpus, MAX_CELLS, MAX_VCPUS) ? (r.cellVcpus = v.cellVcpus) : bad('cellVcpus', `cell vCPUs must be a list of at most ${MAX_CELLS} whole numbers from 1 to ${MAX_VCPUS}`);
  if (v.cellMemoryKiB !== undefined)
    counts(v.cellMemoryKiB, MAX_CELLS, MAX_MEMORY_KIB) ? (r.cellMemoryKiB = v.cellMemoryKiB) : bad('cellMemoryKiB', `cell memory must be a list of at most ${MAX_CELLS} whole numbers of KiB`);
  if (v.hugepageSizeKiB !== undefined)
    within(v.hugepageSizeKiB, MAX_MEMORY_KIB) ? (r.hugepageSizeKiB = v.hugepageSizeKiB) : bad('hugepageSizeKiB', 'hugepage size must be a whole number of KiB');
  if (v.tierMemoryKiB !== undefined)
    v.tierMemoryKiB === 0 || within(v.tierMemoryKiB, MAX_MEMORY_KIB) ? (r.tierMemoryKiB = v.tierMemoryKiB as number) : bad('tierMemoryKiB', 'tier memory must be a whole number of KiB');
  if (v.iothreads !== undefined)
    v.iothreads === 0 || within(v.iothreads, MAX_VCPUS) ? (r.iothreads = v.iothreads as number) : bad('iothreads', `iothreads must be a whole number up to ${MAX_VCPUS}`);
  if (v.devices !== undefined) {
    if (!Array.isArray(v.devices) || v.devices.length > MAX_DEVICES) bad('devices', `devices must be a list of at most ${MAX_DEVICES}`);
    else
      v.devices.forEach((d, i) => {
        if (isObject(d) && typeof d.bdf === 'string' && oneOf(d.policy, DEVICE_POLICIES)) r.devices.push({ bdf: d.bdf, policy: d.policy } satisfies DeviceRequest);
        else bad(`devices[${i}]`, `a device needs a "bdf" and a policy (${either(DEVICE_POLICIES)})`);
      });
  }
  return ok ? r : null;
}
