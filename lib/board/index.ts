/** Public surface of the board document module. */
export * from './board';
export * from './schema';
export * from './ops';
export * from './ops-encode';
export * from './ops-order';
export * from './ops-points';
export * from './read';
export * from './migrations';
export * from './undo';
export { parseShape, fragmentText } from './parse-shape';
export { keyBetween, compareIndex, isIndexKey } from './fractional-index';
export { hitShape } from './hit-test';
export { ShapeCache } from './shape-cache';
export * from './ops-notes';
export * from './ops-bulk';
export * from './ops-restore';
export * from './board-diff';
export * from './ops-images';
