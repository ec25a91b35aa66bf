/**
 * Files picked or dropped: each is read in the bundle worker. A sosreport or sysfs tarball
 * becomes the host and its guests (state/bundle.ts; its sysfs files become one paste listing
 * them); a text file holding guests' domain XML (the collector's output) adds its host
 * part as a paste and opens its guests; any other text file becomes a paste named after the
 * file, its text as it is.
 */
import { applyOutcome, useBundle } from '../state/bundle.ts';
import { useApp } from '../state/store.ts';
import { BundleClient } from '../worker/bundle-client.ts';

let client: BundleClient | undefined;

export async function readFiles(files: FileList | File[]): Promise<void> {
  const list = Array.from(files);
  const { setNotice } = useApp.getState();
  setNotice(null);
  client ??= new BundleClient();
  const reader = client;
  useBundle.setState((s) => ({ reading: [...s.reading, ...list.map((f) => f.name)] }));
  const problems: string[] = [];
  // Read together (the worker queues them), applied in the order given.
  const outcomes = list.map((file) => reader.read(file, file.name));
  for (const [i, file] of list.entries()) {
    const outcome = await outcomes[i];
    useBundle.setState((s) => ({ reading: s.reading.filter((_, k) => k !== s.reading.indexOf(file.name)) }));
    const plainText =
      outcome.kind === 'done' && outcome.format === 'paste' && outcome.guests.length === 0 && !outcome.diagnostics.some((d) => d.severity === 'error');
    if (plainText) {
      useApp.getState().addPaste(file.name, await file.text());
      continue;
    }
    if (!applyOutcome(file.name, outcome)) problems.push(useApp.getState().notice ?? `${file.name} was not opened`);
  }
  setNotice(problems.length > 0 ? problems.join(' — ') : null);
}
