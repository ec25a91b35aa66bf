/**
 * The numascope bin run as a child process, as a person runs it: asynchronous, so that the
 * independent runs of one test file overlap.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { corpusPath } from './corpus.ts';

export const BIN = resolve(import.meta.dirname, '../../bin/numascope.js');

/** `--host` flags for the talk's host, as its two pasted dumps. */
export const TALK_HOST_ARGS = ['--host', corpusPath('pasted', 'talk-e7-8895v2.lscpu.txt'), '--host', corpusPath('pasted', 'talk-e7-8895v2.numactl-H.txt')];

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function run(args: string[]): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}
