/**
 * Image uploads at load. Run: npm run bench:files
 *
 * A real sync server process (`tsx server/index.ts`, SQLite + DATA_DIR/files in a temp dir):
 *   1. 20 concurrent uploaders, each sending UPLOADS_EACH random-noise JPEG/PNG images of 1-10 MB
 *      (nothing for the encoders to squeeze, so every byte is real): throughput (MB/s of upload
 *      bodies), per-upload latency p50/p95 (PUT until the 201, variants included), and the
 *      server's RSS before, at its peak and after.
 *   2. RSS growth of one 5 MB and one ~24 MB PNG upload, one at a time, and of a 24 MB upload
 *      that is a 300 px PNG plus 23 MB of trailing bytes: a server that streams grows with the
 *      decoded image (sharp), not with the file's size in bytes.
 * RSS is sampled from /proc/<pid>/status every 10 ms. Prints numbers; asserts nothing.
 * BENCH_UPLOADERS / BENCH_UPLOADS_EACH shrink it.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { makeTempDir, spawnServer, testToken, type ChildServer } from '../../server/testing/helpers';
import { httpBase, noiseImage, uploadFile } from '../../server/files/testing';

const UPLOADERS = Number(process.env.BENCH_UPLOADERS ?? 20);
const UPLOADS_EACH = Number(process.env.BENCH_UPLOADS_EACH ?? 3);
const MB = 1024 * 1024;

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** Samples the server's RSS until stopped; returns the peak. */
function sampleRss(pid: number): { stop(): number } {
  let peak = rssMiB(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), 10);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, rssMiB(pid));
    },
  };
}

function percentile(samples: number[], q: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

/** Trailing bytes after IEND / EOI are ignored by decoders: unique ids without encoding again. */
function unique(image: Buffer): Buffer {
  return Buffer.concat([image, randomBytes(16)]);
}

/** Noise images of about `mb` MB: PNG (fast deflate) ~3 bytes per pixel, JPEG q95 ~1.9. */
async function imageOfAbout(mb: number, format: 'png' | 'jpeg'): Promise<Buffer> {
  const perPixel = format === 'png' ? 3 : 1.9;
  const side = Math.round(Math.sqrt((mb * MB) / perPixel));
  return noiseImage(side, side, format);
}

async function concurrentUploads(server: ChildServer): Promise<void> {
  console.log(`generating ${UPLOADERS} noise images (1-10 MB, JPEG and PNG)...`);
  const images: Buffer[] = [];
  for (let i = 0; i < UPLOADERS; i++) images.push(await imageOfAbout(1 + ((i * 9) / Math.max(1, UPLOADERS - 1)), i % 2 ? 'png' : 'jpeg'));
  const base = httpBase(server.port);
  const latencies: number[] = [];
  let bytes = 0;
  let failed = 0;
  const before = rssMiB(server.pid);
  const rss = sampleRss(server.pid);
  const started = performance.now();
  await Promise.all(
    images.map(async (image, u) => {
      const board = `bench-files-${u}`;
      const token = testToken(board, { expiresIn: 3600 });
      for (let k = 0; k < UPLOADS_EACH; k++) {
        const body = unique(image);
        const t0 = performance.now();
        const res = await uploadFile(base, board, body, token);
        latencies.push(performance.now() - t0);
        if (res.status === 201) bytes += body.byteLength;
        else failed++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const peak = rss.stop();
  await new Promise((r) => setTimeout(r, 2_000));
  const after = rssMiB(server.pid);
  const n = UPLOADERS * UPLOADS_EACH;
  console.log(`\n${UPLOADERS} concurrent uploaders x ${UPLOADS_EACH} uploads (${n} uploads, ${(bytes / MB).toFixed(0)} MB, ${failed} failed):`);
  console.log(`  throughput            ${(bytes / MB / seconds).toFixed(1)} MB/s (${seconds.toFixed(1)} s wall)`);
  console.log(`  per upload            p50 ${percentile(latencies, 0.5).toFixed(0)} ms, p95 ${percentile(latencies, 0.95).toFixed(0)} ms, max ${Math.max(...latencies).toFixed(0)} ms`);
  console.log(`  server RSS            before ${before.toFixed(0)} MiB, peak ${peak.toFixed(0)} MiB, after (2 s) ${after.toFixed(0)} MiB`);
}

async function growthOf(server: ChildServer, label: string, image: Buffer): Promise<void> {
  const base = httpBase(server.port);
  await new Promise((r) => setTimeout(r, 1_000));
  const before = rssMiB(server.pid);
  const rss = sampleRss(server.pid);
  const t0 = performance.now();
  const res = await uploadFile(base, 'bench-files-growth', image, testToken('bench-files-growth'));
  const ms = performance.now() - t0;
  const peak = rss.stop();
  console.log(
    `  ${label.padEnd(25)}${(image.byteLength / MB).toFixed(1)} MB -> ${res.status} in ${ms.toFixed(0)} ms; RSS before ${before.toFixed(0)} MiB, peak ${peak.toFixed(0)} MiB (+${(peak - before).toFixed(0)} MiB)`,
  );
}

async function main(): Promise<void> {
  await withServer(concurrentUploads);
  console.log('\nRSS growth of single uploads (each on a fresh server process):');
  const cases: [string, Buffer][] = [
    ['PNG ~5 MB', unique(await imageOfAbout(5, 'png'))],
    ['PNG ~24 MB', unique(await imageOfAbout(23.5, 'png'))],
    // same bytes on the wire, few pixels: what the upload path itself costs, without a big decode
    ['PNG 300 px + 23 MB tail', Buffer.concat([await noiseImage(300, 300, 'png'), randomBytes(23 * MB)])],
  ];
  for (const [label, image] of cases) await withServer((server) => growthOf(server, label, image));
}

async function withServer(fn: (server: ChildServer) => Promise<void>): Promise<void> {
  const tmp = makeTempDir();
  const server = await spawnServer(tmp.dir, { LOG_LEVEL: 'info', FILE_UPLOADS_PER_MINUTE: '100000' });
  try {
    await fn(server);
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
    tmp.remove();
  }
}

await main();
