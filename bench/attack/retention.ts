/**
 * `npx tsx --expose-gc bench/attack/retention.ts [requestIndex]` (or `node --expose-gc --import tsx …`):
 * does a hostile request leave anything behind? Sends 20,000 copies of one of HOSTILE_REQUESTS to a
 * server in this process and prints the heap after a full GC every 5,000. Growth that levels off is
 * V8/allocator headroom; growth in proportion to the count would be a leak.
 */
import { HOSTILE_REQUESTS, sendRawRequest } from '../../server/testing/attackers';
import { makeTempDir, startTestServer } from '../../server/testing/helpers';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  console.error('run with --expose-gc: node --expose-gc --import tsx bench/attack/retention.ts');
  process.exit(2);
}
const index = Number(process.argv[2] ?? 0);
if (!Number.isInteger(index) || index < 0 || index >= HOSTILE_REQUESTS.length) {
  console.error(`requestIndex must be 0..${HOSTILE_REQUESTS.length - 1}`);
  process.exit(2);
}
const data = makeTempDir();
const server = await startTestServer(data.dir);

const send = (request: string) => sendRawRequest(server.port, request);

const heapMiB = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};
const request = HOSTILE_REQUESTS[index];
console.log(`request ${index}: ${JSON.stringify(request.slice(0, 50))}`);
for (let i = 0; i < 500; i++) await send(request); // warm-up
const base = heapMiB();
for (let round = 1; round <= 4; round++) {
  for (let i = 0; i < 5_000; i++) await send(request);
  await new Promise((r) => setTimeout(r, 300));
  console.log(`after ${round * 5_000}: heap +${(heapMiB() - base).toFixed(2)} MiB`);
}
await server.close();
data.remove();
