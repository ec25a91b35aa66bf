/**
 * Archives read as one host (bundle.ts) whose files are hostile: a sosreport whose lscpu file is
 * a tool's complaint repeated 200,000 times before the output. Its notes are counted like any
 * paste's problems. (A thousand such files, 201,000 notes, once crashed `numascope check` with a
 * RangeError: check-cli.test.ts, on the main thread's smaller stack.)
 */
import { describe, expect, it } from 'vitest';
import { MAX_DIAGNOSTICS_PER_SOURCE } from '../../src/core/diagnostics.ts';
import { bundleHost, readTree } from '../../src/core/ingest/bundle.ts';
import { readCorpus } from '../support/corpus.ts';
import { HANG_MS, survive } from './survive.ts';

const ROOT = 'sosreport-kvm01-2026-12-07-abcdefg/';
const LSCPU = `${ROOT}sos_commands/processor/lscpu`;

describe('a sosreport whose tool complained 200,000 times', () => {
  it('is the host its lscpu gives, with the complaints counted in one note', { timeout: HANG_MS }, () => {
    const tree = new Map([[LSCPU, `${'lscpu: cannot open /sys/firmware/dmi/tables/DMI\n'.repeat(200_000)}${readCorpus('pasted', 'talk-e7-8895v2.lscpu.txt')}`]]);
    const bundle = survive(() => readTree(tree, 'noisy.tar.xz'));
    const notes = bundle.diagnostics.filter((d) => d.source === LSCPU);
    expect(notes).toHaveLength(MAX_DIAGNOSTICS_PER_SOURCE + 1);
    expect(notes.at(-1)?.message).toBe(`${200_000 - MAX_DIAGNOSTICS_PER_SOURCE} more problems in this paste not listed (the first ${MAX_DIAGNOSTICS_PER_SOURCE} are)`);
    const { host } = survive(() => bundleHost(bundle));
    expect(host.cpus).toHaveLength(120);
    expect(host.diagnostics.slice(0, notes.length)).toEqual(notes);
  });

});
