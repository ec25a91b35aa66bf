/**
 * libvirt's scaled memory values (`<memory unit='GiB'>4</memory>`, `memory='4' unit='G'`) read
 * and written exactly, in integers: virScaleInteger's units, KiB rounded up as
 * virDomainParseMemory rounds them, and its bound (LLONG_MAX bytes). A float would round a
 * size past 2^53 bytes, silently; these never round and refuse what libvirt refuses.
 */
import { MAX_MEMORY_BYTES, MAX_MEMORY_KIB } from '../guest/limits.ts';

const POWERS = 'kmgtpe';

/** Bytes per unit as virScaleInteger reads a suffix (case-insensitive); undefined when it knows no such suffix. */
export function unitBytes(unit: string): bigint | undefined {
  const u = unit.trim().toLowerCase();
  if (u === 'b' || u === 'byte' || u === 'bytes') return 1n;
  const m = /^([kmgtpe])(ib|b)?$/.exec(u);
  if (!m) return undefined;
  const base = m[2] === 'b' ? 1000n : 1024n;
  return base ** BigInt(POWERS.indexOf(m[1]) + 1);
}

/** A scaled value in KiB, or libvirt's reason to refuse it. */
export function scaledKiB(value: string, unit: string | undefined): { kib?: number; error?: string } {
  const v = value.trim();
  if (!/^\d+$/.test(v)) return { error: `Invalid value '${value}' for element or attribute` };
  const perUnit = unitBytes(unit ?? 'KiB');
  if (perUnit === undefined) return { error: `unknown suffix '${unit}'` };
  const bytes = BigInt(v) * perUnit;
  if (bytes > MAX_MEMORY_BYTES) return { error: `value too large: ${v}${unit ?? ''}` };
  return { kib: Number((bytes + 1023n) / 1024n) };
}

/**
 * `kib` in `unit` when it is a whole number of that unit (and the unit is at least a KiB, so
 * that reading it back gives `kib` again), else undefined: the caller writes KiB instead.
 */
export function inUnit(kib: number, unit: string): bigint | undefined {
  const perUnit = unitBytes(unit);
  if (perUnit === undefined || perUnit < 1024n || !Number.isSafeInteger(kib) || kib < 0) return undefined;
  const bytes = BigInt(kib) * 1024n;
  return bytes % perUnit === 0n ? bytes / perUnit : undefined;
}

/** Whether a KiB count is one libvirt takes and this model holds exactly. */
export function isMemoryKiB(kib: number): boolean {
  return Number.isSafeInteger(kib) && kib >= 0 && kib <= MAX_MEMORY_KIB;
}
