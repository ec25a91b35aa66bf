/**
 * QEMU argv text (libvirt's one line, or our preview's lines) → the placement items the
 * judge compares: -m, -smp, -numa, the memory backends and thread contexts of guest cells
 * (mem-path aside: it names the host's hugetlbfs mount), pxb-pcie buses (addr aside: libvirt
 * assigns slots to every device, ours included).
 */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'") {
      const end = text.indexOf("'", i + 1);
      word += text.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (ch === '\\' && text[i + 1] === '\n') {
      i++;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

export function placementItems(argv: string): string[] {
  const words = shellWords(argv);
  const items: string[] = [];
  for (let i = 0; i < words.length - 1; i++) {
    const [flag, value] = [words[i], words[i + 1]];
    if (flag === '-m' || flag === '-smp' || flag === '-numa') items.push(`${flag} ${value}`);
    if (flag === '-object' || flag === '-device') {
      const obj = JSON.parse(value) as Record<string, unknown>;
      const type = String(obj['qom-type'] ?? obj.driver);
      if (/^memory-backend-/.test(type) && /^ram-node\d+$/.test(String(obj.id))) items.push(`${flag} ${JSON.stringify({ ...obj, 'mem-path': undefined })}`);
      else if (type === 'thread-context' && /^tc-ram-node\d+$/.test(String(obj.id))) items.push(`${flag} ${value}`);
      else if (type === 'pxb-pcie') items.push(`${flag} ${JSON.stringify({ ...obj, addr: undefined })}`);
    }
  }
  return items;
}
