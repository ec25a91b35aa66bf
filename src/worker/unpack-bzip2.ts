/**
 * bzip2 as a web TransformStream (hwloc-gather-topology writes .tar.bz2), over unbzip2-stream's
 * block decoder. bzip2 decodes a whole block at a time, so compressed bytes are held until a
 * block (at most 900 kB plus headers) is surely in, as unbzip2-stream's own stream does.
 */
import bitIterator from 'unbzip2-stream/lib/bit_iterator.js';
import bzip2 from 'unbzip2-stream/lib/bzip2.js';

/** bzip2's block size unit, and the slack unbzip2-stream leaves for a block's Huffman tables. */
const BLOCK_UNIT = 100_000;
const BLOCK_SLACK = 25_000;

export function bzip2Decompressor(): TransformStream<Uint8Array, Uint8Array> {
  const queue: Uint8Array[] = [];
  let received = 0;
  let blockSize = 0;
  let streamCRC: number | null = null;
  let bits: ReturnType<typeof bitIterator> | undefined;

  /** Decodes the next header or block; false at the end of a bzip2 stream. */
  function step(out: TransformStreamDefaultController<Uint8Array>): boolean {
    if (!bits) return false;
    if (!blockSize) {
      blockSize = bzip2.header(bits);
      streamCRC = 0;
      return true;
    }
    const size = BLOCK_UNIT * blockSize;
    // A block's run-length stage can give more bytes than the block size: grow when full.
    let bytes = new Uint8Array(size);
    let length = 0;
    const write = (b: number) => {
      if (length === bytes.length) {
        const grown = new Uint8Array(bytes.length * 2);
        grown.set(bytes);
        bytes = grown;
      }
      bytes[length++] = b;
    };
    streamCRC = bzip2.decompress(bits, write, new Int32Array(size), size, streamCRC);
    if (streamCRC === null) {
      blockSize = 0;
      return false;
    }
    out.enqueue(bytes.subarray(0, length));
    return true;
  }

  return new TransformStream({
    transform(chunk, out) {
      queue.push(chunk);
      received += chunk.length;
      bits ??= bitIterator(() => queue.shift());
      while (received - bits.bytesRead + 1 >= (BLOCK_SLACK + BLOCK_UNIT * blockSize || 4)) step(out);
    },
    flush(out) {
      while (bits && received > bits.bytesRead) step(out);
      if (streamCRC !== null) throw new Error('the bzip2 data ends in the middle of a block');
    },
  });
}
