/**
 * libvirt's judges of a domain XML that need no daemon of ours: virt-xml-validate (the RelaxNG
 * schema of the installed libvirt) and `virsh define` on the test driver. Both tools must be
 * there (scripts/setup.sh installs them): a missing one throws, failing the test, never skipping.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface VirshResult {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/** virt-xml-validate on one file; the message is its output when it refuses. */
export function validateXml(file: string): { ok: boolean; message: string } {
  const r = spawnSync('virt-xml-validate', [file, 'domain'], { encoding: 'utf8' });
  if (r.error) throw r.error;
  return { ok: r.status === 0, message: `${r.stdout}${r.stderr}` };
}

let dir: string | undefined;
let serial = 0;

/**
 * `virsh define` of a domain on the test driver (test:///default). The driver keeps definitions
 * in memory and forgets them when virsh exits, so each call starts from a fresh driver, and
 * `dumpxml` — printing back what libvirt made of it — has to run in the same virsh session.
 */
export function defineOnTestDriver(xml: string, options: { dumpxml?: boolean } = {}): VirshResult {
  dir ??= mkdtempSync(join(tmpdir(), 'numascope-define-'));
  const file = join(dir, `domain-${serial++}.xml`);
  writeFileSync(file, xml);
  const name = /<name>([^<]+)<\/name>/.exec(xml)?.[1] ?? '';
  const command = options.dumpxml ? [`define ${file}; dumpxml ${name}`] : ['define', file];
  const r = spawnSync('virsh', ['-c', 'test:///default', ...command], { encoding: 'utf8', env: { ...process.env, LANG: 'C', LC_ALL: 'C' } });
  if (r.error) throw r.error;
  // In a multi-command session virsh's exit status is the last command's: an earlier error only shows in stderr.
  return { ok: r.status === 0 && !/error:/.test(r.stderr), stdout: r.stdout, stderr: r.stderr };
}
