/** Public surface of the board document module. */
export * from './board';
export * from './schema';
export * from './ops';
export * from './read';
export * from './migrations';
export { keyBetween, compareIndex, isIndexKey } from './fractional-index';
export { shapeAt, shapesInRect } from './hit-test';
export { ShapeCache } from './shape-cache';
