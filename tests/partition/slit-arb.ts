/** Random distance matrices for the partition's property tests. */
import fc from 'fast-check';

/** A random SLIT of n nodes: 10 on the diagonal, symmetric, 11…max between two nodes. */
export const slitArb = (n: number, max: number): fc.Arbitrary<number[][]> =>
  fc.array(fc.integer({ min: 11, max }), { minLength: (n * (n - 1)) / 2, maxLength: (n * (n - 1)) / 2 }).map((upper) => {
    const m = Array.from({ length: n }, () => new Array<number>(n).fill(10));
    let k = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) m[i][j] = m[j][i] = upper[k++];
    return m;
  });
