/**
 * libvirt judges one layout: virt-xml-validate, `virsh define` (then undefine) and
 * `virsh domxml-to-native qemu-argv`, whose placement items must be exactly our QEMU
 * preview's. Returns what went wrong, with both texts, or nothing.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GuestLayout } from '../../src/core/guest/model.ts';
import { DEFAULT_QEMU_OPTIONS, qemuArgv, qemuDialect } from '../../src/core/emit/qemu.ts';
import { placementItems } from './argv.ts';
import { validateXml } from '../support/libvirt.ts';
import { libvirtVersion, type Daemon } from './daemon.ts';
import { writeLayout } from '../../src/core/domain-xml/index.ts';

const dialect = qemuDialect(libvirtVersion());

/** The domain XML the judge sees: the project's own writer, from no document (a new guest). */
export function domainXmlOf(layout: GuestLayout, name: string): string {
  return writeLayout(null, layout, { name }).text;
}

export function judge(daemon: Daemon, layout: GuestLayout, name: string, dir: string): string | undefined {
  const xml = domainXmlOf(layout, name);
  const file = join(dir, `${name}.xml`);
  writeFileSync(file, xml);
  const problem = (what: string, detail: string) => `${name}: ${what}\n${detail}\n--- domain XML ---\n${xml}`;

  const valid = validateXml(file);
  if (!valid.ok) return problem('virt-xml-validate refuses it', valid.message);
  const defined = daemon.virsh('define', file);
  if (!defined.ok) return problem('virsh define refuses it', defined.stderr);
  const undefined_ = daemon.virsh('undefine', name);
  if (!undefined_.ok) return problem('virsh undefine failed', undefined_.stderr);
  const native = daemon.virsh('domxml-to-native', 'qemu-argv', file);
  if (!native.ok) return problem('virsh domxml-to-native refuses it', native.stderr);

  const ours = qemuArgv(layout, { ...DEFAULT_QEMU_OPTIONS, name, dialect });
  const theirs = placementItems(native.stdout);
  const mine = placementItems(ours);
  if (JSON.stringify(theirs) === JSON.stringify(mine)) return undefined;
  return problem(
    'libvirt and our QEMU preview disagree',
    `--- libvirt's items ---\n${theirs.join('\n')}\n--- our items ---\n${mine.join('\n')}\n--- libvirt's argv ---\n${native.stdout}\n--- our preview ---\n${ours}`,
  );
}
