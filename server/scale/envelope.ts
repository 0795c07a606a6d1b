/**
 * What servers tell each other over Redis, one binary message per publish on the board's channel:
 * `varUint version • varUint kind • varString serverId • float64 sentAt (epoch ms) • body`.
 * - updates: `varUint firstSeq • varUint n • n × varUint8Array` (seqs firstSeq.., already durable)
 * - presence: `varUint8Array awarenessUpdate` (states of the sender's clients; not durable)
 * - presence-query: empty (a server just loaded the board: everyone answers with its presence)
 * - link-rotated: `varString kind • varUint version` (close connections opened with older links)
 * - heartbeat, leaving: empty, on the servers' channel (liveness; see cluster-sync.ts)
 * - board-deleted: empty (the board went to the trash: close its connections with 4410)
 * Decoding is defensive even though only our servers publish: a bad message is dropped, not applied.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { LinkKind } from '../persistence/storage';

const VERSION = 1;
// new kinds go at the end: a kind's number is its index
const KINDS = ['updates', 'presence', 'presence-query', 'link-rotated', 'heartbeat', 'leaving', 'board-deleted'] as const;

interface Head {
  serverId: string;
  /** Date.now() at publish; cross-server latency assumes the servers' clocks agree (NTP). */
  sentAt: number;
}

export type Envelope = Head &
  (
    | { kind: 'updates'; firstSeq: number; updates: Uint8Array[] }
    | { kind: 'presence'; update: Uint8Array }
    | { kind: 'presence-query' }
    | { kind: 'heartbeat' }
    | { kind: 'leaving' }
    | { kind: 'board-deleted' }
    | { kind: 'link-rotated'; link: LinkKind; version: number }
  );

export function encodeEnvelope(env: Envelope): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, VERSION);
  encoding.writeVarUint(e, KINDS.indexOf(env.kind));
  encoding.writeVarString(e, env.serverId);
  encoding.writeFloat64(e, env.sentAt);
  switch (env.kind) {
    case 'updates':
      encoding.writeVarUint(e, env.firstSeq);
      encoding.writeVarUint(e, env.updates.length);
      for (const u of env.updates) encoding.writeVarUint8Array(e, u);
      break;
    case 'presence':
      encoding.writeVarUint8Array(e, env.update);
      break;
    case 'presence-query':
    case 'heartbeat':
    case 'leaving':
    case 'board-deleted':
      break;
    case 'link-rotated':
      encoding.writeVarString(e, env.link);
      encoding.writeVarUint(e, env.version);
      break;
  }
  return encoding.toUint8Array(e);
}

/** The envelope, or null if the bytes are not one (wrong version, truncated, trailing bytes). */
export function decodeEnvelope(bytes: Uint8Array): Envelope | null {
  // own copy: lib0 reads are bounded by the underlying buffer, which for a Buffer is a shared pool
  const d = decoding.createDecoder(new Uint8Array(bytes));
  try {
    if (decoding.readVarUint(d) !== VERSION) return null;
    const kind = KINDS[decoding.readVarUint(d)];
    const head: Head = { serverId: decoding.readVarString(d), sentAt: decoding.readFloat64(d) };
    let env: Envelope;
    switch (kind) {
      case 'updates': {
        const firstSeq = decoding.readVarUint(d);
        const n = decoding.readVarUint(d);
        if (firstSeq < 1 || n > d.arr.length) return null;
        const updates: Uint8Array[] = [];
        for (let i = 0; i < n; i++) updates.push(decoding.readVarUint8Array(d));
        env = { ...head, kind, firstSeq, updates };
        break;
      }
      case 'presence':
        env = { ...head, kind, update: decoding.readVarUint8Array(d) };
        break;
      case 'presence-query':
      case 'heartbeat':
      case 'leaving':
      case 'board-deleted':
        env = { ...head, kind };
        break;
      case 'link-rotated': {
        const link = decoding.readVarString(d);
        if (link !== 'edit' && link !== 'view') return null;
        env = { ...head, kind, link, version: decoding.readVarUint(d) };
        break;
      }
      default:
        return null;
    }
    return decoding.hasContent(d) || !Number.isFinite(head.sentAt) ? null : env;
  } catch {
    return null; // truncated: lib0 throws on reads past the end
  }
}
