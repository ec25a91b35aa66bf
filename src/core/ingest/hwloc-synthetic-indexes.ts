/**
 * The `indexes=` attribute of hwloc synthetic strings, read the way hwloc 2 reads it (its
 * topology-synthetic.c), so that a string numbers its objects here as it does in lstopo:
 *
 * - an explicit list, digits and commas only ("0,2,1,3"): the first N numbers are the OS indexes
 *   of the level's N objects, in logical order; numbers past N are ignored;
 * - an interleaving of steps ("2*2:1*2": every 2nd object, 2 of them, then every object, 2 of them)
 *   or of level types ("core:pack": going round the cores first, then the packages), hwloc's way
 *   to say "Linux numbering";
 * - anything else (ranges such as 0-7, a list too short, an interleaving that does not cover the
 *   level): hwloc ignores the attribute and numbers the objects 0..N-1, and so do we, with a warning.
 */
import type { CacheType } from '../host/facts.ts';
import type { DiagnosticSink } from '../diagnostics.ts';
import type { HwType } from './hwloc-common.ts';

/** A level of the string as far as interleavings by type need it. */
export interface IndexedLevel {
  type: HwType;
  cache?: { level: number; type: CacheType };
  /** Objects on this level across the whole machine. */
  width: number;
}

/** What a type word names, for matching interleaving loops to levels. */
export type LevelKind = Pick<IndexedLevel, 'type' | 'cache'>;

interface Loop {
  step: number;
  nb: number;
}

/**
 * OS indexes of `total` objects from an indexes= text, or undefined (numbered in order) when hwloc
 * would not use it. `levels` are the string's levels above the PUs, outermost first; `kindOf`
 * reads a type word ("pack", "l3", "core").
 */
export function readIndexes(
  text: string,
  total: number,
  levels: readonly IndexedLevel[],
  kindOf: (word: string) => LevelKind | undefined,
  what: string,
  line: number,
  sink: DiagnosticSink,
): number[] | undefined {
  const refuse = (why: string): undefined => {
    sink.warning(line, `indexes=${text} of the ${what}: ${why}; hwloc ignores it and numbers them 0..${total - 1}, and so does numascope`);
    return undefined;
  };
  if (/^[0-9,]*$/.test(text)) {
    const parts = text.split(',');
    if (parts.length < total || parts.slice(0, total).some((p) => p === '')) return refuse(`${parts.filter((p) => p !== '').length} numbers for ${total} objects`);
    const ids = parts.slice(0, total).map(Number);
    if (parts.length > total) sink.info(line, `indexes= of the ${what} lists more than ${total} numbers; as in hwloc, only the first ${total} are used`);
    // hwloc accepts a list that repeats a number; a drawing cannot tell two such objects apart.
    if (new Set(ids).size !== total) return refuse('a number is listed twice');
    return ids;
  }
  const loops = /^\d/.test(text) ? stepLoops(text) : typeLoops(text, total, levels, kindOf);
  if (typeof loops === 'string') return refuse(loops);
  return interleave(loops, total) ?? refuse(`the interleaving does not number ${total} objects once each`);
}

/** "4*2:1*4" → loops of (step, count). */
function stepLoops(text: string): Loop[] | string {
  const loops: Loop[] = [];
  for (const field of text.split(':')) {
    const m = /^(\d+)\*(\d+)$/.exec(field);
    if (!m) return `'${field}' is neither a list of numbers nor a step*count loop (ranges such as 0-7 are not hwloc syntax)`;
    const step = Number(m[1]);
    const nb = Number(m[2]);
    if (step === 0 || nb === 0) return `'${field}' has a zero step or count`;
    loops.push({ step, nb });
  }
  return loops;
}

/** "core:pack" → one loop per named level: step = objects below it, count = its objects per parent named before it. */
function typeLoops(text: string, total: number, levels: readonly IndexedLevel[], kindOf: (word: string) => LevelKind | undefined): Loop[] | string {
  const depths: number[] = [];
  for (const field of text.split(':')) {
    const kind = kindOf(field);
    if (!kind) return `'${field}' is not a level type`;
    const at = levels.findIndex((l) => l.type === kind.type && (kind.cache === undefined || (l.cache?.level === kind.cache.level && (l.cache.type === 'instruction') === (kind.cache.type === 'instruction'))));
    if (at < 0) return `the string has no '${field}' level`;
    if (depths.includes(at)) return `'${field}' is named twice`;
    depths.push(at);
  }
  const loops: Loop[] = [];
  for (const at of depths) {
    // The nearest level above this one that is also named, else the machine.
    const above = Math.max(-1, ...depths.filter((d) => d < at));
    const width = levels[at].width;
    const parentWidth = above < 0 ? 1 : levels[above].width;
    if (total % width !== 0 || width % parentWidth !== 0) return `the '${text}' levels do not divide the objects evenly`;
    loops.push({ step: total / width, nb: width / parentWidth });
  }
  return loops;
}

/** Index of object j = Σ ((j / step) mod nb) · (product of the earlier loops' counts), as hwloc computes it. */
function interleave(given: readonly Loop[], total: number): number[] | undefined {
  const loops = [...given];
  const covered = loops.reduce((n, l) => n * l.nb, 1);
  const minStep = loops.reduce((min, l) => Math.min(min, l.step), total);
  if (covered !== total) {
    // hwloc adds the innermost loop when it is the only one missing.
    if (minStep !== Math.floor(total / covered)) return undefined;
    loops.push({ step: 1, nb: Math.floor(total / covered) });
  }
  const ids = new Array<number>(total).fill(0);
  let mul = 1;
  for (const { step, nb } of loops) {
    for (let j = 0; j < total; j++) ids[j] += (Math.floor(j / step) % nb) * mul;
    mul *= nb;
  }
  if (ids.some((id) => id >= total) || new Set(ids).size !== total) return undefined;
  return ids;
}
