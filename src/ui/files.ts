/** Files picked or dropped become pastes named after the file. */
import { useApp } from '../state/store.ts';

/** Beyond this a file is almost certainly not a host dump, and reading it would only hurt. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

export async function readFiles(files: FileList | File[]): Promise<void> {
  const { addPaste, setNotice } = useApp.getState();
  const skipped: string[] = [];
  for (const file of Array.from(files)) {
    if (file.size > MAX_FILE_BYTES) {
      skipped.push(`${file.name} (${Math.round(file.size / 1048576)} MiB)`);
      continue;
    }
    addPaste(file.name, await file.text());
  }
  setNotice(skipped.length > 0 ? `Not opened, larger than 64 MiB: ${skipped.join(', ')}` : null);
}
