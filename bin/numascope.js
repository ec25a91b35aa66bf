#!/usr/bin/env node
// Runs the TypeScript CLI directly (no build step): `npx numascope inspect FILE…` works right after `npm install`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/numascope.ts');
process.exitCode = main(process.argv.slice(2));
