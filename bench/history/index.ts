/**
 * Version history at size. Run: npm run bench:history
 *
 * A real sync server (in process, SQLite in a temp dir) and stock y-websocket clients:
 *   1. a board of 10,000 shapes, then 200 versions with ~20 shapes changed between them
 *      (saved through the internal history API, as the app does);
 *   2. the history list (200 versions) through the API: p50 / p95 / max;
 *   3. opening a version as the browser does before its first frame: fetch the state, decode it,
 *      build the editor's shape cache and spatial index;
 *   4. a restore through the API until another connected client holds the restored board;
 *   5. storage: bytes of the 200 versions against 200 full copies;
 *   6. a simulated week of a team's use (5 days x 8 h, a version every 5 min while editing) with the
 *      default retention applied at the end.
 * Prints numbers; asserts nothing. BENCH_SHAPES / BENCH_VERSIONS shrink it for a quick look.
 */
import { join } from 'node:path';
import * as Y from 'yjs';
import { mintServiceToken } from '../../lib/auth/token';
import { addShape, boardFromState, deleteShapes, diffBoards, moveShapes, openBoard, ShapeCache, type Board, type ShapeId } from '../../lib/board';
import { SqliteStorage } from '../../server/persistence/sqlite';
import { hasVersionStore, type RetentionPolicy } from '../../server/persistence/versions';
import { connectClient, makeTempDir, startTestServer, TEST_AUTH_SECRET, waitFor, type TestClient } from '../../server/testing/helpers';

const SHAPES = Number(process.env.BENCH_SHAPES ?? 10_000);
const VERSIONS = Number(process.env.BENCH_VERSIONS ?? 200);
const CHANGED_PER_VERSION = 20;
const BOARD = 'bench-history';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The server's defaults (README): every version for a day, hourly for 30 days, daily after. */
const DEFAULT_RETENTION: RetentionPolicy = { keepAllMs: DAY, keepHourlyMs: 30 * DAY, keepDailyMs: 0 };

const secret = new TextEncoder().encode(TEST_AUTH_SECRET);

function stats(samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return `p50 ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms, max ${s[s.length - 1].toFixed(1)} ms (n=${s.length})`;
}

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
const mib = (n: number) => `${(n / 1024 / 1024).toFixed(2)} MiB`;

/** A deterministic PRNG so runs are comparable. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seedShapes(board: Board, count: number): ShapeId[] {
  const ids: ShapeId[] = [];
  for (let start = 0; start < count; start += 500) {
    board.doc.transact(() => {
      for (let i = start; i < Math.min(count, start + 500); i++) {
        const type = i % 10 === 0 ? 'note' : i % 3 === 0 ? 'ellipse' : 'rect';
        ids.push(addShape(board, { type, x: (i % 100) * 120, y: Math.floor(i / 100) * 90, w: 100, h: 70, createdBy: 'bench', text: type === 'note' ? `note ${i}` : undefined }));
      }
    });
  }
  return ids;
}

/** Moves ~n random shapes, deletes one and adds one: a few minutes of a team's work. */
function editSome(board: Board, ids: ShapeId[], n: number, random: () => number): void {
  board.doc.transact(() => {
    for (let i = 0; i < n - 2; i++) moveShapes(board, [ids[Math.floor(random() * ids.length)]], { x: 5, y: 3 });
    const gone = ids.splice(Math.floor(random() * ids.length), 1);
    deleteShapes(board, gone);
    ids.push(addShape(board, { type: 'rect', x: random() * 10_000, y: random() * 8_000, w: 80, h: 50, createdBy: 'bench' }));
  });
}

async function api(base: string, method: string, path: string, body?: unknown): Promise<Response> {
  const token = await mintServiceToken(secret);
  const res = await fetch(`${base}/api${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res;
}

const sameState = (a: Y.Doc, b: Y.Doc) => Buffer.from(Y.encodeStateVector(a)).equals(Buffer.from(Y.encodeStateVector(b)));

async function live(): Promise<void> {
  const tmp = makeTempDir();
  const server = await startTestServer(tmp.dir);
  const base = server.url.replace(/^ws/, 'http');
  const random = prng(42);
  const writer: TestClient = connectClient(server.url, BOARD);
  const reader: TestClient = connectClient(server.url, BOARD);
  try {
    await waitFor(() => writer.provider.synced && reader.provider.synced, { what: 'clients synced' });
    const board = openBoard(writer.doc);
    let t = performance.now();
    const ids = seedShapes(board, SHAPES);
    await waitFor(() => sameState(writer.doc, reader.doc), { timeout: 120_000, what: 'seed relayed' });
    const fullBytes = Y.encodeStateAsUpdate(writer.doc).byteLength;
    console.log(`board: ${SHAPES} shapes, full state ${kib(fullBytes)}, seeded in ${(performance.now() - t).toFixed(0)} ms`);

    t = performance.now();
    const versionIds: number[] = [];
    const saveMs: number[] = [];
    for (let v = 0; v < VERSIONS; v++) {
      if (v > 0) editSome(board, ids, CHANGED_PER_VERSION, random);
      await waitFor(() => sameState(writer.doc, reader.doc), { timeout: 30_000, what: 'edit relayed' });
      const s = performance.now();
      const meta = (await (await api(base, 'POST', `/boards/${BOARD}/versions`, { kind: 'named', name: `v${v}` })).json()) as { id: number };
      saveMs.push(performance.now() - s);
      versionIds.push(meta.id);
    }
    console.log(`${VERSIONS} versions saved in ${((performance.now() - t) / 1000).toFixed(1)} s; one save: ${stats(saveMs)}`);

    const listMs: number[] = [];
    let listed = 0;
    for (let i = 0; i < 30; i++) {
      const s = performance.now();
      const body = (await (await api(base, 'GET', `/boards/${BOARD}/versions?limit=200`)).json()) as { versions: unknown[] };
      listMs.push(performance.now() - s);
      listed = body.versions.length;
    }
    console.log(`history list (${listed} versions, internal API): ${stats(listMs)}`);

    const openMs: number[] = [];
    const fetchMs: number[] = [];
    for (let i = 0; i < 15; i++) {
      const vid = versionIds[Math.floor(random() * versionIds.length)];
      const s = performance.now();
      const state = new Uint8Array(await (await api(base, 'GET', `/boards/${BOARD}/versions/${vid}/state`)).arrayBuffer());
      fetchMs.push(performance.now() - s);
      const version = boardFromState(state);
      new ShapeCache().reset(version);
      openMs.push(performance.now() - s);
      version.doc.destroy();
    }
    console.log(`open a version (fetch state): ${stats(fetchMs)}`);
    console.log(`open a version (fetch + decode + shape cache, before the first frame): ${stats(openMs)}`);

    const restoreMs: number[] = [];
    for (const vid of [versionIds[0], versionIds[Math.floor(VERSIONS / 2)], versionIds[0], versionIds[VERSIONS - 1]]) {
      const target = boardFromState(new Uint8Array(await (await api(base, 'GET', `/boards/${BOARD}/versions/${vid}/state`)).arrayBuffer()));
      const readerBoard = openBoard(reader.doc);
      const s = performance.now();
      await api(base, 'POST', `/boards/${BOARD}/versions/${vid}/restore`, { by: 'bench' });
      await waitFor(() => {
        const d = diffBoards(target, readerBoard);
        return d.added.length + d.changed.length + d.removed.length === 0;
      }, { timeout: 30_000, interval: 2, what: 'restore reached the reader' });
      restoreMs.push(performance.now() - s);
      target.doc.destroy();
    }
    console.log(`restore through the API until another client holds it: ${stats(restoreMs)}`);

    if (!hasVersionStore(server.storage)) throw new Error('storage keeps no versions');
    const stored = await server.storage.versionBytes(BOARD);
    const all = (await (await api(base, 'GET', `/boards/${BOARD}/versions?limit=1000`)).json()) as { versions: unknown[] };
    console.log(
      `storage: ${all.versions.length} versions (${VERSIONS} saved + pre-restore ones) take ${mib(stored)}; ` +
        `${VERSIONS} full copies would take ${mib(fullBytes * VERSIONS)} uncompressed (${(stored / (fullBytes * VERSIONS) * 100).toFixed(1)}%)`,
    );
  } finally {
    writer.destroy();
    reader.destroy();
    await server.close();
    tmp.remove();
  }
}

/** A team's week straight into the store: no server, simulated clock. */
async function week(): Promise<void> {
  const tmp = makeTempDir();
  const storage = new SqliteStorage(join(tmp.dir, 'week.db'));
  try {
    if (!hasVersionStore(storage)) throw new Error('storage keeps no versions');
    const random = prng(7);
    const board = openBoard(new Y.Doc());
    const ids: ShapeId[] = [];
    const start = Date.UTC(2026, 10, 2, 8); // a Monday, 08:00 UTC
    let versions = 0;
    let seq = 0;
    for (let day = 0; day < 5; day++) {
      for (let minute = 0; minute < 8 * 60; minute += 5) {
        // the team adds ~40 shapes an hour and reworks ~15 shapes per five minutes
        if (minute % 15 === 0) {
          board.doc.transact(() => {
            for (let i = 0; i < 10; i++) {
              ids.push(addShape(board, { type: random() < 0.2 ? 'note' : 'rect', x: random() * 8000, y: random() * 6000, w: 120, h: 80, createdBy: 'team', text: 'idea' }));
            }
          });
        }
        if (ids.length > 20) editSome(board, ids, 15, random);
        const createdAt = start + day * DAY + minute * 60_000;
        await storage.addVersion(BOARD, {
          kind: 'auto', name: null, editors: ['Ana', 'Ben'], added: 0, changed: 0, removed: 0,
          shapeCount: board.shapes.size, seq: ++seq, state: Y.encodeStateAsUpdate(board.doc), createdAt,
        });
        versions++;
      }
    }
    const end = start + 4 * DAY + 8 * HOUR;
    const fullBytes = Y.encodeStateAsUpdate(board.doc).byteLength;
    const before = await storage.versionBytes(BOARD);
    console.log(
      `simulated week: ${versions} automatic versions of a board growing to ${board.shapes.size} shapes (full state ${kib(fullBytes)}): ` +
        `${mib(before)} stored; full copies would be ${mib(fullBytes * versions)}`,
    );
    const deleted = await storage.pruneVersions(DEFAULT_RETENTION, end + 7 * DAY);
    const left = (await storage.listVersions(BOARD, { limit: 10_000 })).length;
    console.log(`  a week later, with the default retention: ${deleted} pruned, ${left} left, ${mib(await storage.versionBytes(BOARD))} stored`);
  } finally {
    await storage.close();
    tmp.remove();
  }
}

async function main(): Promise<void> {
  await live();
  await week();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
