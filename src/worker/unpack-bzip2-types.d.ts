/**
 * Types for the two pure-JavaScript pieces of unbzip2-stream that numascope uses directly (its
 * index.js wraps them in a Node stream, which a browser worker does not have).
 */
declare module 'unbzip2-stream/lib/bzip2.js' {
  /** Reads the next bits (null: align to a byte). */
  type BitReader = ((n: number | null) => number) & { bytesRead: number };
  const bzip2: {
    /** Reads a stream header ("BZh9"); returns the block size in 100 kB units. */
    header(bits: BitReader): number;
    /** Decodes one block into `write`; returns the running stream CRC, or null at the end of the stream. */
    decompress(bits: BitReader, write: (byte: number) => void, buf: Int32Array, bufsize: number, streamCRC: number | null): number | null;
  };
  export default bzip2;
}

declare module 'unbzip2-stream/lib/bit_iterator.js' {
  import type bzip2 from 'unbzip2-stream/lib/bzip2.js';
  export default function bitIterator(nextBuffer: () => Uint8Array | undefined): Parameters<(typeof bzip2)['header']>[0];
}
