export { solve } from './solve.ts';
export { occupancyOf } from './occupancy.ts';
export { edit, editAll, type EditOp, type EditsResult, type PinTarget } from './edit.ts';
