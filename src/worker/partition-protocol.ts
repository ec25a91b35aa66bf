/**
 * Messages between the page and the partition worker. Everything here is structured-clone safe:
 * the host, the request and the layouts are plain data.
 */
import type { Host } from '../core/host/model.ts';
import type { Occupancy, PartitionRequest, SolveResult } from '../core/partition/request.ts';
import type { WorkerReply } from './latest-wins.ts';

/**
 * One piece of work for the partition core. The worker keeps the host it was last given: a job
 * without `host` is about that one (a 4096-PU host costs milliseconds to copy across each time).
 */
export type PartitionJob = { host?: Host } & { op: 'solve'; request: PartitionRequest; occupancy: Occupancy };

export type PartitionMessage = PartitionJob & { id: number };

/** What a job produced, with the time the worker spent on it (for the status line). */
export type PartitionAnswer = { op: 'solve'; result: SolveResult; ms: number };

export type PartitionResponse = WorkerReply<PartitionAnswer>;
