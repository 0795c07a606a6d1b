/**
 * Moved to lib/board/shape-geometry.ts (shape-aware) and lib/geometry/{vec,box}.ts (leaf). This
 * re-export only keeps lib/io/svg.ts and components/canvas/shape-painter.ts compiling while another
 * branch rewrites them (issue 15, lib/render); delete it once they import the new paths.
 */
export * from '@/lib/board/shape-geometry';
