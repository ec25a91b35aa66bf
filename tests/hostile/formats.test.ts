/**
 * Every format's reader, called directly (as detection would if a sniff went wrong), on every
 * hostile class: each must come back with facts and diagnostics, never throw, never hang, never
 * reach the "internal error" net its parse keeps.
 */
import { describe, expect, it } from 'vitest';
import { formats } from '../../src/core/ingest/index.ts';
import { HOSTILE } from './fixtures.ts';
import { expectNoInternalError, HANG_MS, survive } from './survive.ts';

const texts = HOSTILE.map((c) => ({ name: c.name, text: c.text() }));

describe.each(formats.map((f) => [f.label, f] as const))('%s reader', (_, format) => {
  for (const { name, text } of texts) {
    it(name, { timeout: HANG_MS }, () => {
      const facts = survive(() => format.parse(text, name));
      expect(facts.format).toBe(format.id);
      expectNoInternalError(facts.diagnostics);
      expect(survive(() => format.sniff(text))).toBeGreaterThanOrEqual(0);
    });
  }
});
