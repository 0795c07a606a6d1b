/**
 * The stored bytes of one version (`versions.data`): a Yjs update (a full state or a diff),
 * compressed, behind a 5-byte header: [format][checksum of the update, 4 bytes].
 *
 * Brotli at quality 5 rather than deflate-raw level 6: measured on a 10,000-shape board (4.1 MB
 * state), brotli-5 stores 687 KB in 62 ms, deflate-6 875 KB in 56 ms (deflate-9: same size in
 * 260 ms); on a 300-shape board 17 KB against 23 KB in less time. Decompressing is slower (29 ms
 * against 17 ms for the big board), but a version is compressed on every capture and decompressed
 * only for a preview or restore. Higher qualities cost far more time (q6 111 ms, q11 8.4 s).
 *
 * The checksum: a damaged row must fail loudly instead of inflating to other bytes that Yjs might
 * accept as a different board (or loop on), so what comes out is checked against what went in.
 */
import { createHash } from 'node:crypto';
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';

/** The only format so far; another one would get the next number and old rows keep loading. */
const FORMAT_BROTLI = 1;
const HEADER = 5;
const QUALITY = 5;

function checksum(bytes: Uint8Array): Uint8Array {
  return createHash('sha256').update(bytes).digest().subarray(0, 4);
}

export function compressUpdate(update: Uint8Array): Uint8Array {
  const body = brotliCompressSync(update, {
    params: { [constants.BROTLI_PARAM_QUALITY]: QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: update.byteLength },
  });
  const out = new Uint8Array(HEADER + body.byteLength);
  out[0] = FORMAT_BROTLI;
  out.set(checksum(update), 1);
  out.set(body, HEADER);
  return out;
}

/** The update `compressUpdate` was given; throws (plain Error) on any damage. */
export function decompressUpdate(data: Uint8Array): Uint8Array {
  if (data.byteLength < HEADER) throw new Error(`stored data too short (${data.byteLength} bytes)`);
  if (data[0] !== FORMAT_BROTLI) throw new Error(`unknown stored format ${data[0]}`);
  let update: Uint8Array;
  try {
    update = brotliDecompressSync(data.subarray(HEADER));
  } catch (err) {
    throw new Error(`decompression failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  const sum = checksum(update);
  for (let i = 0; i < 4; i++) if (sum[i] !== data[1 + i]) throw new Error('checksum mismatch');
  return update;
}
