/**
 * A board edited through lib/board operations (adds, moves, deletes, note rewrites), for version
 * storage tests and the storage measurement: each step is one "version's worth" of edits, and
 * `view` is what a version must give back exactly (every shape's fields and every note's rich text).
 */
import * as Y from 'yjs';
import {
  addShape,
  boardFromState,
  deleteShapes,
  encodeBoardState,
  getNoteTree,
  openBoard,
  setNoteTree,
  transact,
  updateShape,
  type Board,
  type ShapeId,
} from '../../lib/board';
import type { NewVersion, VersionStore } from '../persistence/versions';
import { prng } from './prng';

export interface BoardView {
  shapes: Record<string, unknown>;
  notes: Record<string, unknown>;
}

export function viewOf(board: Board): BoardView {
  const notes: Record<string, unknown> = {};
  board.shapes.forEach((y, id) => {
    if (y.get('type') === 'note') notes[id] = getNoteTree(board, id);
  });
  return { shapes: board.shapes.toJSON(), notes };
}

/** The view of a stored state, applied to a fresh doc. */
export function viewOfState(state: Uint8Array): BoardView {
  return viewOf(boardFromState(state));
}

export class EvolvingBoard {
  readonly board: Board = openBoard(new Y.Doc());
  private readonly random: () => number;
  private readonly alive: ShapeId[] = [];
  private readonly notes: ShapeId[] = [];
  private seq = 0;
  private steps = 0;

  constructor(seed = 1) {
    this.random = prng(seed);
  }

  private pick(list: ShapeId[]): ShapeId | undefined {
    return list[Math.floor(this.random() * list.length)];
  }

  private add(count: number): void {
    transact(this.board, () => {
      for (let i = 0; i < count; i++) {
        const note = this.random() < 0.3;
        const id = addShape(this.board, {
          type: note ? 'note' : 'rect',
          x: Math.round(this.random() * 5000),
          y: Math.round(this.random() * 5000),
          w: 120,
          h: 80,
          createdBy: `user-${i % 3}`,
          text: note ? `note ${this.alive.length}` : undefined,
        });
        this.alive.push(id);
        if (note) this.notes.push(id);
      }
    });
  }

  private removeAt(index: number, count: number): void {
    const gone = this.alive.splice(index, count);
    deleteShapes(this.board, gone);
    for (const id of gone) if (this.notes.includes(id)) this.notes.splice(this.notes.indexOf(id), 1);
  }

  /** Seeds `count` shapes in one transaction (a big board to start from). */
  seed(count: number): this {
    this.add(count);
    return this;
  }

  /** One round of edits; `size` scales how many shapes it touches (about 2 * size). */
  step(size = 3): void {
    const n = ++this.steps;
    this.seq++;
    this.add(size);
    for (let i = 0; i < size; i++) {
      const id = this.pick(this.alive);
      if (id) updateShape(this.board, id, { x: Math.round(this.random() * 5000), y: n });
    }
    if (n % 3 === 0) {
      this.removeAt(Math.floor(this.random() * this.alive.length), Math.max(1, Math.floor(size / 2)));
    }
    const note = n % 2 === 0 ? this.pick(this.notes) : undefined;
    if (note) {
      setNoteTree(this.board, note, [
        { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: `step ${n}`, marks: [] }] },
        { type: 'paragraph', attrs: {}, content: [{ type: 'text', text: `bold ${n}`, marks: [{ type: 'bold', attrs: {} }] }] },
      ]);
    }
  }

  /** Moves `count` random shapes (and swaps one shape for a new one): a steady-size board's edits. */
  touch(count: number): void {
    this.seq++;
    for (let i = 0; i < count - 2; i++) {
      const id = this.pick(this.alive);
      if (id) updateShape(this.board, id, { x: Math.round(this.random() * 5000) });
    }
    this.removeAt(Math.floor(this.random() * this.alive.length), 1);
    this.add(1);
  }

  /** The current state as the history service would hand it to addVersion. */
  version(overrides: Partial<NewVersion> = {}): NewVersion {
    return {
      kind: 'auto',
      name: null,
      editors: ['Ada', 'Grace'],
      added: 1,
      changed: 2,
      removed: 0,
      shapeCount: this.board.shapes.size,
      seq: this.seq,
      state: encodeBoardState(this.board),
      ...overrides,
    };
  }
}

export interface StorageMeasurement {
  versions: number;
  shapes: number;
  /** What the store keeps for all versions. */
  storedBytes: number;
  /** The same versions as uncompressed full states. */
  rawFullBytes: number;
  /** The same versions each stored as one compressed full state (the newest one's size, times the count). */
  compressedFullBytes: number;
}

/**
 * Adds `versions` versions of a board of `shapes` shapes where about `changed` shapes change in
 * between, and compares what the store keeps with full copies.
 */
export async function measureVersionStorage(
  store: VersionStore,
  options: { shapes: number; versions: number; changed: number; compressedFull: (state: Uint8Array) => number },
): Promise<StorageMeasurement> {
  const b = new EvolvingBoard(7).seed(options.shapes);
  let rawFullBytes = 0;
  let last: Uint8Array = new Uint8Array();
  for (let i = 0; i < options.versions; i++) {
    if (i > 0) b.touch(options.changed);
    const v = b.version();
    rawFullBytes += v.state.byteLength;
    last = v.state;
    await store.addVersion('measured', v);
  }
  return {
    versions: options.versions,
    shapes: b.board.shapes.size,
    storedBytes: await store.versionBytes('measured'),
    rawFullBytes,
    compressedFullBytes: options.compressedFull(last) * options.versions,
  };
}
