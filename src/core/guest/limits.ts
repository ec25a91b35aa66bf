/**
 * The largest numbers libvirt and QEMU take in a domain, named once with where they come from.
 * The reader refuses a value past one with a diagnostic and the writer refuses a layout past
 * one, so no count in a domain drives a loop or an allocation larger than a real guest's.
 */

/** libvirt's VIR_DOMAIN_CPUMASK_LEN (domain_conf.h): cpusets, cell cpus and nodesets are bitmaps of this many bits. */
export const CPUMASK_LEN = 16384;

/**
 * vCPUs per guest: QEMU's q35 machine takes at most 4096 (max_cpus since QEMU 9.0, the largest
 * x86 machine; KVM's KVM_MAX_VCPUS is the same). libvirt itself reads any unsigned int and
 * leaves this check to the driver ("Maximum CPUs greater than specified machine type limit").
 */
export const MAX_VCPUS = 4096;

/** Guest NUMA nodes: QEMU's MAX_NODES (include/sysemu/numa.h). */
export const MAX_CELLS = 128;

/** libvirt's virMemoryMaxValue() on 64-bit hosts: LLONG_MAX bytes, the bound of off_t. */
export const MAX_MEMORY_BYTES = 2n ** 63n - 1n;

/**
 * The same bound in whole KiB, 2^53 − 1: exactly the KiB counts whose bytes fit in LLONG_MAX,
 * and exactly the integers a JavaScript number holds without rounding.
 */
export const MAX_MEMORY_KIB = Number.MAX_SAFE_INTEGER;
