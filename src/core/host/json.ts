/**
 * The Host as the JSON contract of `numascope inspect --json`: the model itself, with every
 * field a script may read present on every entry (null where no paste said), so that
 * `jq '.cpus[] | .node'` never meets a missing key.
 */
import type { Cpu, Host } from './model.ts';

export interface CpuJson extends Omit<Cpu, 'package' | 'die' | 'cluster' | 'core' | 'node'> {
  package: number | null;
  die: number | null;
  cluster: number | null;
  core: number | null;
  node: number | null;
}

export type HostJson = Omit<Host, 'cpus'> & { cpus: CpuJson[] };

export function hostToJson(host: Host): HostJson {
  return {
    ...host,
    cpus: host.cpus.map((c) => ({
      ...c,
      package: c.package ?? null,
      die: c.die ?? null,
      cluster: c.cluster ?? null,
      core: c.core ?? null,
      node: c.node ?? null,
    })),
  };
}
