/**
 * The workspace engine with the workers' jobs run in this process: the document worker's through
 * its own session (xml-jobs.ts, the very functions xml.worker.ts runs), solve and previews through
 * the partition core.
 */
import { editAll, solve } from '../../src/core/partition/index.ts';
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
  return {
    solve: async (host, request, occupancy) => ok(solve(host, request, occupancy)),
    edit: async (text, ops, host, occupancy, name) => {
      const { op: _op, ...value } = run({ op: 'edit', text, ops, occupancy, host, ...(name === undefined ? {} : { name }) }) as Extract<XmlAnswer, { op: 'edit' }>;
      return ok(value);
    },
    preview: async (host, layout, ops, occupancy) => ok(editAll(host, layout, ops, occupancy)),
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
