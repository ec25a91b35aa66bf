/**
 * A vCPU's guest core: QEMU numbers vCPUs thread-fastest, so the `threads` vCPUs from the first
 * multiple of `threads` at or below it are one guest core's SMT siblings. Shared by the edit
 * explanation and the drag gesture so both agree on which vCPUs are a pair.
 */
import type { GuestLayout } from './model.ts';

/** Every vCPU of `vcpu`'s guest core, `vcpu` included, in order (the last core may be short). */
export function guestSiblings(layout: Pick<GuestLayout, 'topology' | 'vcpus'>, vcpu: number): number[] {
  const t = Math.max(1, layout.topology.threads);
  const first = Math.floor(vcpu / t) * t;
  return Array.from({ length: t }, (_, i) => first + i).filter((s) => s < layout.vcpus);
}
