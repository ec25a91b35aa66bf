export { solve } from './solve.ts';
export { occupancyOf } from './occupancy.ts';
export { edit, type EditOp, type PinTarget } from './edit.ts';
