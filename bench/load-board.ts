/**
 * Cold-load cost of a board with a long update log. Run: npm run bench:load
 * Builds 10,000 small shape edits in the storage log (one append each, as the server writes them),
 * then prints: storage read + apply time, time for a real client to be synced from a cold server,
 * and compaction time. Plain numbers, no assertions.
 */
import { join } from 'node:path';
import * as Y from 'yjs';
import { SqliteStorage } from '../server/persistence/sqlite';
import { connectClient, makeTempDir, startTestServer, waitFor } from '../server/testing/helpers';

const UPDATES = 10_000;
const SHAPES = 500;
const BOARD = 'bench-board';

function ms(start: number): string {
  return (performance.now() - start).toFixed(1);
}

async function main(): Promise<void> {
  const tmp = makeTempDir();
  const file = join(tmp.dir, 'commonboard.db');
  const storage = new SqliteStorage(file);

  // realistic shape: create shapes, then mostly moves/resizes of existing ones
  const doc = new Y.Doc();
  const log: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => log.push(u));
  const shapes = doc.getMap<Y.Map<unknown>>('shapes');
  for (let i = 0; log.length < UPDATES; i++) {
    const id = `shape-${i % SHAPES}`;
    let shape = shapes.get(id);
    if (!shape) {
      shape = new Y.Map<unknown>();
      doc.transact(() => {
        shapes.set(id, shape!);
        shape!.set('type', 'rect');
        shape!.set('x', i);
        shape!.set('y', i);
        shape!.set('w', 100);
        shape!.set('h', 60);
        shape!.set('index', `a${i}`);
      });
    } else {
      const s = shape;
      doc.transact(() => {
        s.set('x', i * 3);
        s.set('y', i * 2);
      });
    }
  }
  const tWrite = performance.now();
  for (const u of log) await storage.appendUpdates(BOARD, [u]);
  const writeMs = ms(tWrite);
  const logBytes = log.reduce((n, u) => n + u.byteLength, 0);

  const tLoad = performance.now();
  const stored = await storage.load(BOARD);
  const readMs = ms(tLoad);
  const loaded = new Y.Doc();
  Y.transact(loaded, () => {
    for (const u of stored.updates) Y.applyUpdate(loaded, u);
  });
  const loadMs = ms(tLoad);

  const state = Y.encodeStateAsUpdate(loaded);
  // measured on a copy of the log so the cold-sync run below still starts from 10,000 updates
  const copy = makeTempDir();
  const copyStorage = new SqliteStorage(join(copy.dir, 'commonboard.db'));
  for (const u of log) await copyStorage.appendUpdates(BOARD, [u]);
  const tCompactOnly = performance.now();
  await copyStorage.compact(BOARD, Y.encodeStateAsUpdate(loaded), stored.lastSeq);
  const compactStoreMs = ms(tCompactOnly);
  const tEncode = performance.now();
  Y.encodeStateAsUpdate(loaded);
  const encodeMs = ms(tEncode);
  const tSnapLoad = performance.now();
  const snap = await copyStorage.load(BOARD);
  const fromSnap = new Y.Doc();
  Y.applyUpdate(fromSnap, snap.snapshot!);
  const snapLoadMs = ms(tSnapLoad);
  await copyStorage.close();
  copy.remove();
  await storage.close();

  const server = await startTestServer(tmp.dir);
  const tSync = performance.now();
  const client = connectClient(server.url, BOARD);
  await waitFor(() => client.provider.synced, { timeout: 60_000, interval: 1, what: 'synced' });
  const syncMs = ms(tSync);
  const ok = client.doc.getMap('shapes').size === SHAPES;
  client.destroy();
  await server.close();
  tmp.remove();

  console.log(`updates in log:                 ${UPDATES} (${(logBytes / 1024).toFixed(0)} KiB), ${SHAPES} shapes`);
  console.log(`append 10k (1 txn each):        ${writeMs} ms`);
  console.log(`storage read:                   ${readMs} ms`);
  console.log(`storage read + apply:           ${loadMs} ms`);
  console.log(`cold server -> client synced:   ${syncMs} ms (content ok: ${ok})`);
  console.log(`snapshot encode:                ${encodeMs} ms (${(state.byteLength / 1024).toFixed(0)} KiB)`);
  console.log(`compaction write (10k -> snap): ${compactStoreMs} ms`);
  console.log(`load from snapshot + apply:     ${snapLoadMs} ms`);
}

await main();
