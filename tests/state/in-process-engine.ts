/**
 * The workspace engine with the workers' jobs run in this process: the document worker's through
 * its own session (xml-jobs.ts, the very functions xml.worker.ts runs, drafts too), solve through
 * the partition core.
 */
import { solve } from '../../src/core/partition/index.ts';
import type { Outcome, WorkspaceEngine } from '../../src/state/engine.ts';
import { runXmlJob, xmlSession } from '../../src/worker/xml-jobs.ts';
import type { XmlAnswer, XmlJob } from '../../src/worker/xml-protocol.ts';

const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });

export function inProcessEngine(): WorkspaceEngine {
  const session = xmlSession();
  const run = (job: XmlJob) => {
    const { ms: _ms, ...answer } = runXmlJob(job, session);
    return answer;
  };
  const edit = (...[text, ops, host, occupancy, name]: Parameters<WorkspaceEngine['edit']>) => {
    const { op: _op, ...value } = run({ op: 'edit', text, ops, occupancy, host, ...(name === undefined ? {} : { name }) }) as Extract<XmlAnswer, { op: 'edit' }>;
    return value;
  };
  return {
    solve: async (host, request, occupancy) => ok(solve(host, request, occupancy)),
    edit: async (text, ops, host, occupancy, name) => ok(edit(text, ops, host, occupancy, name)),
    draft: async (text, ops, host, occupancy, name) => ok(edit(text, ops, host, occupancy, name)),
    read: async (text, host) => {
      const { op: _op, ...value } = run({ op: 'read', text, host }) as Extract<XmlAnswer, { op: 'read' }>;
      return ok(value);
    },
    write: async (text, layout, host, name) => {
      const { op: _op, ...value } = run({ op: 'write', text, layout, host, ...(name === undefined ? {} : { name }) }) as Extract<XmlAnswer, { op: 'write' }>;
      return ok(value);
    },
  };
}
