/**
 * The Vitest configuration Stryker runs mutants against: the project's, without the tiers that
 * judge against a private libvirtd or time the app (tests/libvirt, benches), which would make
 * every mutant cost minutes and prove nothing about src/core that the unit tier does not.
 */
import { mergeConfig } from 'vitest/config';
import base from '../../vite.config.ts';

export default mergeConfig(base, {
  test: {
    exclude: ['**/node_modules/**', 'tests/libvirt/**', '**/*.bench.ts', 'e2e/**'],
  },
});
