/**
 * The other half of the judge: our `virsh` commands (src/core/emit/virsh.ts) run against a
 * guest libvirt already has. The guest is defined from our own XML without <cputune> and
 * <numatune> (what the commands set), the commands are run one by one exactly as printed, and
 * `virsh dumpxml --inactive` read back through our XML engine must hold the layout's pins and
 * memory binding. Returns what went wrong, or nothing.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { union } from '../../src/core/cpuset.ts';
import { parseDomainDocument, readLayout } from '../../src/core/domain-xml/index.ts';
import { virshCommands } from '../../src/core/emit/virsh.ts';
import type { GuestLayout } from '../../src/core/guest/model.ts';
import { shellWords } from './argv.ts';
import type { Daemon } from './daemon.ts';
import { domainXmlOf } from './judge.ts';

/** What virsh can set on an existing guest, in a form both sides can be compared in. */
function applied(layout: GuestLayout) {
  return {
    pins: layout.pins.map((p) => [p.vcpu, p.cpus]),
    emulatorpin: layout.emulatorpin,
    iothreadpins: layout.iothreadpins.map((p) => [p.iothread, p.cpus]),
    memoryNodes: union(...layout.cells.map((c) => c.hostNodes)),
  };
}

export function judgeVirshCommands(daemon: Daemon, layout: GuestLayout, name: string, dir: string): string | undefined {
  const bare = domainXmlOf(layout, name).replace(/\n\s*<cputune>[\s\S]*?<\/cputune>/, '').replace(/\n\s*<numatune>[\s\S]*?<\/numatune>/, '');
  const file = join(dir, `${name}.bare.xml`);
  writeFileSync(file, bare);
  const defined = daemon.virsh('define', file);
  if (!defined.ok) return `${name}: virsh define refuses the guest without pins\n${defined.stderr}\n${bare}`;
  try {
    const commands = virshCommands(layout, name).split('\n').filter((l) => l.startsWith('virsh '));
    for (const command of commands) {
      const r = daemon.virsh(...shellWords(command).slice(1));
      if (!r.ok) return `${name}: \`${command}\` failed\n${r.stderr}`;
    }
    const dumped = daemon.virsh('dumpxml', '--inactive', name);
    if (!dumped.ok) return `${name}: virsh dumpxml failed\n${dumped.stderr}`;
    const back = readLayout(parseDomainDocument(dumped.stdout)).layout;
    if (!back) return `${name}: our engine cannot read libvirt's dumpxml\n${dumped.stdout}`;
    const [want, got] = [JSON.stringify(applied(layout)), JSON.stringify(applied(back))];
    return want === got ? undefined : `${name}: after the virsh commands libvirt holds\n${got}\nnot\n${want}\n--- commands ---\n${commands.join('\n')}\n--- dumpxml ---\n${dumped.stdout}`;
  } finally {
    daemon.virsh('undefine', name);
  }
}
