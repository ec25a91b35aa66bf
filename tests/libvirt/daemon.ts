/**
 * A private libvirtd per test file (scripts/libvirt-host.sh), seeing the host being planned:
 * started in beforeAll, stopped in afterAll, and stopped on process exit as well so a failed
 * run never leaves a daemon behind. libvirtd and virsh must be there (scripts/setup.sh
 * installs them): a missing peer fails, it never skips.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { VirshResult } from '../support/libvirt.ts';

const SCRIPT = resolve(import.meta.dirname, '../../scripts/libvirt-host.sh');
const running = new Set<string>();
process.on('exit', () => {
  for (const state of running) spawnSync('bash', [SCRIPT, 'stop', state]);
});

export interface Daemon {
  uri: string;
  /** virsh on this daemon; never throws, the caller judges the result. */
  virsh(...args: string[]): VirshResult;
  stop(): void;
}

/** Start libvirtd over SYSFS_ROOT's sys/devices/system (or over this machine without one). */
export function startDaemon(sysfsRoot?: string): Daemon {
  const state = mkdtempSync(join(tmpdir(), 'numascope-libvirtd-'));
  running.add(state);
  let uri: string;
  try {
    uri = execFileSync('bash', [SCRIPT, 'start', state, ...(sysfsRoot ? [sysfsRoot] : [])], { encoding: 'utf8' }).trim();
  } catch (e) {
    stopState(state);
    throw e;
  }
  return {
    uri,
    virsh: (...args) => {
      const r = spawnSync('virsh', ['-q', '-c', uri, ...args], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C', LANG: 'C' } });
      if (r.error) throw r.error;
      return { ok: r.status === 0, stdout: r.stdout, stderr: r.stderr };
    },
    stop: () => stopState(state),
  };
}

function stopState(state: string): void {
  spawnSync('bash', [SCRIPT, 'stop', state]);
  running.delete(state);
  rmSync(state, { recursive: true, force: true });
}

export function libvirtVersion(): string {
  const out = execFileSync('libvirtd', ['--version'], { encoding: 'utf8' });
  const m = /(\d+\.\d+\.\d+)/.exec(out);
  if (!m) throw new Error(`cannot read libvirtd --version: ${out}`);
  return m[1];
}
