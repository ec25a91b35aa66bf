/** Messages between the page and the bundle worker (a dropped sosreport, sysfs tarball or collector output). Structured-clone safe. */
import type { Bundle } from '../core/ingest/bundle.ts';
import type { WorkerReply } from './latest-wins.ts';

export interface BundleRequest {
  id: number;
  /** A File is a Blob: the worker streams it, the page never holds the unpacked archive. */
  file: Blob;
  name: string;
}

/**
 * What the page uses of a Bundle: the tool outputs become pastes (the sysfs files read among
 * them, as one listing), the guests tabs.
 */
export type BundleReading = Pick<Bundle, 'name' | 'pastes' | 'guests' | 'diagnostics'> & {
  /** Bundle.kind ('sosreport', 'sysfs', 'paste'), renamed: a worker's outcome already has a `kind`. */
  format: string;
};

export type BundleResponse = WorkerReply<BundleReading>;
