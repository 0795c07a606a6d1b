/**
 * Who is asking, as far as the web app can tell (server only): the public origin the browser used
 * (for absolute share links and the CSP) and the client address (for quotas).
 *
 * `next start` serves plain HTTP and hands route handlers no socket address. It does fill
 * `x-forwarded-for` from the socket, but only when the request has none, so without a trusted proxy
 * a client can choose that value. Forwarded headers are therefore believed only with TRUST_PROXY=1
 * (set it only when a reverse proxy you run overwrites or appends them).
 */
import { isIP } from 'node:net';

type Env = Readonly<Record<string, string | undefined>>;

/** TRUST_PROXY: "1"/"true" or "0"/"false"/unset. */
export function trustProxy(env: Env = process.env): boolean {
  const raw = env.TRUST_PROXY?.trim().toLowerCase() ?? '';
  if (raw === '' || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  throw new Error(`TRUST_PROXY must be 1 or 0, got "${env.TRUST_PROXY}"`);
}

/** PUBLIC_URL validated: an http(s) URL with no path, query, fragment or credentials; returns its origin. */
export function parsePublicUrl(raw: string | undefined): string | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new Error(`PUBLIC_URL must be an http(s) URL such as https://board.example.com, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`PUBLIC_URL must use http:// or https://, got "${raw}"`);
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
    throw new Error(`PUBLIC_URL must be an origin only (no path, query, fragment or credentials), got "${raw}"`);
  }
  return url.origin;
}

const HOST_RE = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** A Host-style value (`name[:port]` or `[v6][:port]`), or null if it is anything else. */
export function cleanHost(raw: string | null | undefined): string | null {
  const host = raw?.trim() ?? '';
  if (!HOST_RE.test(host)) return null;
  const port = host.match(/:(\d+)$/)?.[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return null;
  return host.toLowerCase();
}

/** The first value of a comma-separated header (the one the client-facing proxy wrote). */
const first = (value: string | null): string | null => value?.split(',')[0]?.trim() || null;

/**
 * The origin the browser used: PUBLIC_URL when set; else, with TRUST_PROXY=1, X-Forwarded-Proto and
 * X-Forwarded-Host (falling back to Host); else http:// + Host. Null when the host is missing or malformed.
 */
export function publicOrigin(headers: Headers, env: Env = process.env): string | null {
  const configured = parsePublicUrl(env.PUBLIC_URL);
  if (configured) return configured;
  let scheme = 'http';
  let host = cleanHost(headers.get('host'));
  if (trustProxy(env)) {
    const proto = first(headers.get('x-forwarded-proto'))?.toLowerCase();
    if (proto === 'https' || proto === 'http') scheme = proto;
    host = cleanHost(first(headers.get('x-forwarded-host'))) ?? host;
  }
  return host ? `${scheme}://${host}` : null;
}

/** The first four groups of an IPv6 address (its /64: one host usually owns a whole /64). */
function ipv6Prefix64(ip: string): string {
  const [head, tail] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/** Normalizes an address: IPv4-mapped IPv6 is the IPv4 address, IPv6 its /64; anything not an IP is null. */
function cleanIp(raw: string | undefined): string | null {
  const ip = raw?.trim().replace(/^\[|\]$/g, '') ?? '';
  const version = isIP(ip);
  if (version === 0) return null;
  const mapped = ip.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i);
  if (mapped) return mapped[1];
  return version === 4 ? ip : ipv6Prefix64(ip);
}

/** Shared by every request whose address is unknown. */
export const UNKNOWN_CLIENT = 'unknown';

/**
 * The key a per-client quota is counted under. With TRUST_PROXY=1: the last X-Forwarded-For hop (the
 * address our proxy saw; hops before it are the client's to write). Without: X-Forwarded-For when it is
 * a single address, which is what Next fills in from the socket; a client can still pick it by sending
 * the header, which is why the quota also has a total cap. Anything else: one shared bucket.
 */
export function clientKey(headers: Headers, env: Env = process.env): string {
  const hops = (headers.get('x-forwarded-for') ?? '').split(',').map((h) => h.trim()).filter(Boolean);
  if (trustProxy(env)) return cleanIp(hops.at(-1)) ?? UNKNOWN_CLIENT;
  return hops.length === 1 ? (cleanIp(hops[0]) ?? UNKNOWN_CLIENT) : UNKNOWN_CLIENT;
}
