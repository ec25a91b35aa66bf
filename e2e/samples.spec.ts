import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { corpus, expect, parsed, start, startEmpty, test } from './fixtures.ts';

interface SampleIndex {
  default: string;
  samples: { id: string; title: string; files: string[] }[];
}

const index = JSON.parse(readFileSync(resolve(import.meta.dirname, '../public/samples/index.json'), 'utf8')) as SampleIndex;

for (const sample of index.samples) {
  test(`sample ${sample.id} loads into a host without errors`, async ({ page }) => {
    await start(page);
    await page.getByTestId('samples').selectOption(sample.id);
    await expect(page.getByTestId('paste-name')).toHaveCount(sample.files.length);
    await expect(page.getByTestId('paste-name').first()).toHaveValue(sample.files[0]);
    await parsed(page);
    await expect(page.getByTestId('source-item')).toHaveCount(sample.files.length);
    await expect(page.getByTestId('unrecognised')).toHaveCount(0);
    await expect(page.locator('[data-testid=diagnostic][data-severity=error]')).toHaveCount(0);
    expect(Number(await page.getByTestId('count-nodes').textContent())).toBeGreaterThan(0);
    // The menu promises what the host card then shows: "N nodes", "N cores", "N CPUs" in the title.
    for (const [word, id] of [['nodes', 'count-nodes'], ['cores', 'count-cores'], ['CPUs', 'count-cpus']] as const) {
      const said = sample.title.match(new RegExp(`(\\d+) ${word}\\b`))?.[1];
      if (said !== undefined) await expect(page.getByTestId(id), `${word} in the title "${sample.title}"`).toHaveText(new RegExp(`(^|/ )${said}$`));
    }
  });
}

test('every sample\'s title says how many CPUs it has, as the host card counts them', () => {
  for (const sample of index.samples) expect(sample.title, sample.id).toMatch(/\b\d+ CPUs\b/);
});

test('opened files become pastes named after them', async ({ page }) => {
  await startEmpty(page);
  await page.getByTestId('file-input').setInputFiles([
    { name: 'kunpeng.numactl', mimeType: 'text/plain', buffer: Buffer.from(corpus('pasted', 'numactl-H-kunpeng920-2s4n.txt')) },
  ]);
  await expect(page.getByTestId('paste-name')).toHaveValue('kunpeng.numactl');
  await parsed(page);
  await expect(page.getByTestId('count-nodes')).toHaveText('4');
  // Kunpeng 920's distances are asymmetric across sockets: node 1 → 3 is 24.
  await expect(page.getByTestId('distance-1-3')).toHaveText('24');
});

test('a file dropped onto the page becomes a paste', async ({ page }) => {
  await startEmpty(page);
  const text = corpus('pasted', 'talk-e7-8895v2.numactl-H.txt');
  const transfer = await page.evaluateHandle((content) => {
    const dt = new DataTransfer();
    dt.items.add(new File([content], 'dropped-numactl.txt', { type: 'text/plain' }));
    return dt;
  }, text);
  const target = page.locator('main');
  await target.dispatchEvent('dragenter', { dataTransfer: transfer });
  await target.dispatchEvent('drop', { dataTransfer: transfer });
  await expect(page.getByTestId('paste-name')).toHaveValue('dropped-numactl.txt');
  await parsed(page);
  await expect(page.getByTestId('count-nodes')).toHaveText('4');
});
