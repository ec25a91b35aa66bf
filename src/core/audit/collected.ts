/**
 * One text paste holding a host and what runs on it — `virsh dumpxml` of every domain, `numastat
 * -c qemu`, QEMU command lines (`ps -o pid,args`) — cut into the host part, which goes to ingest()
 * as any paste does, the domain documents and the runtime state. Cut lines are left blank in
 * the host part, so its diagnostics keep the line numbers of the paste the person sees.
 */
import { splitLines } from '../ingest/text.ts';
import { isNumastat, qemuGuestNames } from './numastat.ts';

export interface CollectedPaste {
  /** The paste with the guests' and the runtime's lines blanked; empty when nothing else is left. */
  hostText: string;
  /** Each `<domain>` document, named `<paste>#domain<N>` (the reader names the guest by its <name>). */
  domains: { source: string; text: string }[];
  /** numastat tables and QEMU command lines, for numastat.ts. */
  runtime: string;
}

const DOMAIN_START = /^\s*<domain[\s>]/;
const DOMAIN_END = /<\/domain>\s*$/;
const NUMASTAT_END = /^Total\s/;
/** The shell prompt of a command whose output is cut here (split.ts's prompt forms). */
const GUEST_PROMPT = /^\s*(?:\[[^\]]*\][#$]|\S*[$#>%])\s*(?:sudo\s+)?(?:numastat|ps|pgrep|virsh\s+(?:-c\s+\S+\s+)?dumpxml)\b/;

export function separateCollected(text: string, name: string): CollectedPaste {
  const lines = splitLines(text);
  const host = [...lines];
  const domains: CollectedPaste['domains'] = [];
  const runtime: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (DOMAIN_START.test(lines[i])) {
      let end = i;
      while (end < lines.length - 1 && !DOMAIN_END.test(lines[end])) end++;
      domains.push({ source: `${name}#domain${domains.length + 1}`, text: lines.slice(i, end + 1).join('\n') + '\n' });
      host.fill('', i, end + 1);
      i = end;
    } else if (isNumastat(lines[i])) {
      let end = i;
      while (end < lines.length - 1 && !NUMASTAT_END.test(lines[end])) end++;
      runtime.push(...lines.slice(i, end + 1));
      host.fill('', i, end + 1);
      i = end;
    } else if (GUEST_PROMPT.test(lines[i])) {
      host[i] = '';
    } else if (qemuGuestNames(lines[i]).size > 0) {
      runtime.push(lines[i]);
      host[i] = '';
    }
  }
  const hostText = host.every((l) => l.trim() === '') ? '' : host.join('\n');
  return { hostText, domains, runtime: runtime.join('\n') };
}
