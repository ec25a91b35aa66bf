/**
 * The workspace in the URL hash, with no server: JSON → deflate-raw (CompressionStream) →
 * base64url, behind `#w=`. A link is input from anywhere, so decoding is validated like a paste:
 * it never throws, refuses oversized or malformed data with a sentence a person can act on, and
 * rebuilds every object field by field (unknown keys are dropped, never passed on). The workspace
 * itself travels as the workspace file (exportWorkspace()) and is checked by the same reader as an
 * opened file (parseWorkspace); the file it read is handed back, so opening the link loads it
 * without reading it again, and its pastes then go through the normal ingest path.
 */
import { INDEX_MODES, type IndexMode, type Theme } from './store.ts';
import { parseWorkspace, type WorkspaceFile } from './workspace-file.ts';

export const HASH_PREFIX = '#w=';
/** Longest hash we write or read: far above what chat tools and QR codes take, far below what browsers allow. */
export const MAX_HASH_CHARS = 96 * 1024;
/** Largest JSON a link may unpack to; stops a deflate bomb before it fills memory. */
export const MAX_JSON_BYTES = 8 * 1024 * 1024;
const MAX_SCENES = 200;
const MAX_IDS = 1 << 16;
const MAX_ID = 1 << 20;

/** A step of a talk: which view it shows and what it lights up. */
export type SceneKind = 'sockets' | 'nodes' | 'caches' | 'distances' | 'pci' | 'guest' | 'pins' | 'recorded';
export const SCENE_KINDS: readonly SceneKind[] = ['sockets', 'nodes', 'caches', 'distances', 'pci', 'guest', 'pins', 'recorded'];

export interface Scene {
  kind: SceneKind;
  title: string;
  /** Index of the guest the scene is about (guest, pins). */
  guest?: number;
  indexMode?: IndexMode;
  /** Host nodes and CPUs lit when the scene is shown. */
  nodes: number[];
  cpus: number[];
}

export interface SharedView {
  indexMode: IndexMode;
  theme: Theme;
}

/** What a link carries: everything needed to show the same thing on another machine. */
export interface SharedWorkspace {
  /** The workspace file text (pastes, guests' requests and domain XML), as exportWorkspace() writes it. */
  workspace: string;
  scenes: Scene[];
  view: SharedView;
}

/** A link as opened: what it carries, and its workspace file as validation read it. */
export interface OpenedWorkspace extends SharedWorkspace {
  file: WorkspaceFile;
}

export type Decoded<T> = { ok: true; value: T } | { ok: false; message: string };

const fail = (message: string): { ok: false; message: string } => ({ ok: false, message });

// ---- bytes ⇄ base64url ------------------------------------------------------------------------

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  try {
    const binary = atob(b64);
    const out = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  } catch {
    return undefined;
  }
}

async function deflate(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Inflates with a ceiling: reading stops as soon as the output passes `limit` bytes. */
async function inflate(bytes: Uint8Array, limit: number): Promise<Decoded<string>> {
  try {
    const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
    const reader = stream.getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel().catch(() => undefined);
        return fail(`The link unpacks to more than ${limit / (1024 * 1024)} MB; numascope does not open links that large.`);
      }
      chunks.push(value);
    }
    const all = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      all.set(c, at);
      at += c.byteLength;
    }
    return { ok: true, value: new TextDecoder('utf-8', { fatal: true }).decode(all) };
  } catch {
    return fail('The link is damaged: its data is not valid compressed text (was it cut short when copied?).');
  }
}

// ---- validation, field by field -----------------------------------------------------------------

/** Raised inside validation only; validateWorkspace turns it into a message. */
class Invalid extends Error {}

type Check<T> = (x: unknown, at: string) => T;

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function int(min: number, max: number): Check<number> {
  return (x, at) => {
    if (typeof x === 'number' && Number.isInteger(x) && x >= min && x <= max) return x;
    throw new Invalid(`${at} must be a whole number from ${min} to ${max}`);
  };
}

function oneOf<T extends string>(values: readonly T[]): Check<T> {
  return (x, at) => {
    if (typeof x === 'string' && (values as readonly string[]).includes(x)) return x as T;
    throw new Invalid(`${at} must be one of ${values.join(', ')}`);
  };
}

function list<T>(item: Check<T>, max: number): Check<T[]> {
  return (x, at) => {
    if (!Array.isArray(x)) throw new Invalid(`${at} must be a list`);
    if (x.length > max) throw new Invalid(`${at} has ${x.length} entries; at most ${max} are accepted`);
    return x.map((v, i) => item(v, `${at}[${i}]`));
  };
}

function text(max: number): Check<string> {
  return (x, at) => {
    if (typeof x !== 'string') throw new Invalid(`${at} must be text`);
    if (x.length > max) throw new Invalid(`${at} is longer than ${max} characters`);
    return x;
  };
}

/** Reads the named fields of an object into a new one; a missing optional field stays absent. */
function record<T>(fields: { [K in keyof T]-?: Check<T[K]> }, optional: readonly (keyof T)[] = []): Check<T> {
  return (x, at) => {
    if (!isRecord(x)) throw new Invalid(`${at} must be an object`);
    const out: Partial<T> = {};
    for (const key of Object.keys(fields) as (keyof T)[]) {
      const value = Object.hasOwn(x, key) ? x[key as string] : undefined;
      if (value === undefined && optional.includes(key)) continue;
      out[key] = fields[key](value, `${at}.${String(key)}`);
    }
    return out as T;
  };
}

const ids = list(int(0, MAX_ID), MAX_IDS);
const count = int(0, MAX_ID);

const indexMode = oneOf(INDEX_MODES);
const scene = record<Scene>(
  {
    kind: oneOf(SCENE_KINDS),
    title: text(200),
    guest: count,
    indexMode,
    nodes: ids,
    cpus: ids,
  },
  ['guest', 'indexMode'],
);
interface ReadFile {
  text: string;
  file: WorkspaceFile;
}
/** The workspace file, read exactly as an opened file is; its first problem becomes the message. */
const workspaceFile: Check<ReadFile> = (x, at) => {
  const file = text(MAX_JSON_BYTES)(x, at);
  const parsed = parseWorkspace(file, 'link');
  if (parsed.ok) return { text: file, file: parsed.file };
  const first = parsed.diagnostics[0];
  throw new Invalid(`${at}${first?.path && first.path !== '/' ? first.path : ''}: ${first?.message ?? 'not a workspace file'}`);
};
const workspace = record<Omit<SharedWorkspace, 'workspace'> & { workspace: ReadFile }>({
  workspace: workspaceFile,
  scenes: list(scene, MAX_SCENES),
  view: record<SharedView>({ indexMode, theme: oneOf<Theme>(['light', 'dark']) }),
});

/** Checks data from a link or a workspace file; the message names the first field that is wrong. */
export function validateWorkspace(data: unknown): Decoded<OpenedWorkspace> {
  if (!isRecord(data)) return fail('The link does not hold a numascope workspace.');
  if (data.v !== 1) return fail(`This link was made by another version of numascope (format ${String(JSON.stringify(data.v ?? null)).slice(0, 20)}); it cannot be opened here.`);
  try {
    const { workspace: read, scenes, view } = workspace(data, 'workspace');
    return { ok: true, value: { workspace: read.text, scenes, view, file: read.file } };
  } catch (err) {
    if (err instanceof Invalid) return fail(`The link's workspace is not valid: ${err.message}.`);
    return fail(`The link's workspace could not be read: ${String(err)}`);
  }
}

// ---- the link ------------------------------------------------------------------------------------

/** The hash part for a workspace, or why it cannot be a link. */
export async function encodePermalink(ws: SharedWorkspace): Promise<Decoded<string>> {
  const hash = HASH_PREFIX + toBase64Url(await deflate(JSON.stringify({ v: 1, ...ws })));
  if (hash.length > MAX_HASH_CHARS) {
    const kb = Math.ceil(hash.length / 1024);
    return fail(`The workspace is ${kb} kB even compressed; a link holds at most ${MAX_HASH_CHARS / 1024} kB. Remove the largest pastes (hwloc XML with I/O devices is the usual one) or save a workspace file instead.`);
  }
  return { ok: true, value: hash };
}

/** The workspace in a hash (with or without its '#w='); never throws. */
export async function decodePermalink(hash: string): Promise<Decoded<OpenedWorkspace>> {
  try {
    const body = hash.startsWith(HASH_PREFIX) ? hash.slice(HASH_PREFIX.length) : hash.startsWith('w=') ? hash.slice(2) : hash;
    if (body.length > MAX_HASH_CHARS) return fail(`The link is ${Math.ceil(body.length / 1024)} kB; numascope opens links up to ${MAX_HASH_CHARS / 1024} kB.`);
    if (body.length === 0) return fail('The link holds no workspace (nothing after #w=).');
    const bytes = fromBase64Url(body);
    if (!bytes) return fail('The link is damaged: it has characters a numascope link never contains (was it cut or re-encoded when copied?).');
    const json = await inflate(bytes, MAX_JSON_BYTES);
    if (!json.ok) return json;
    let data: unknown;
    try {
      data = JSON.parse(json.value);
    } catch {
      return fail('The link is damaged: its data is not a numascope workspace.');
    }
    return validateWorkspace(data);
  } catch (err) {
    return fail(`The link could not be read: ${String(err)}`);
  }
}
