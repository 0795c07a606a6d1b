/**
 * The app's Content-Security-Policy (pure; built per request by proxy.ts, unit-tested).
 *
 * Scripts: a fresh nonce per response plus 'strict-dynamic'. Next's production pages carry inline
 * scripts (the RSC payload `self.__next_f.push(…)`, the theme pre-paint script), so 'self' alone
 * cannot work; a nonce allows exactly those, where 'unsafe-inline' would allow any injected one.
 * Styles keep 'unsafe-inline': React renders `style=""` attributes into the HTML and Tiptap adds a
 * <style> element; CSS cannot run script, and a nonce in style-src would disable 'unsafe-inline'.
 */
import { parseSyncUrl } from '../ui/sync-url';
import { cleanHost } from './client';

/** Port the browser assumes for the sync server when SYNC_URL is unset (lib/ui/sync-url.ts). */
const DEFAULT_SYNC_PORT = 1234;

/** `scheme://host[:port]` of a URL (no path: the socket URL appends `/<boardId>`). */
function originOf(url: URL): string {
  return `${url.protocol}//${url.host}`;
}

/**
 * Where the page may connect besides itself: the sync server's WebSocket origin and its http(s) twin
 * (the HTTP fallback). Without SYNC_URL the page uses ws(s)://<its host>:1234, so `pageHosts` (the
 * hosts the page may be served as) are listed with that port, in both schemes.
 */
export function syncSources(syncUrl: string | undefined, pageHosts: readonly string[]): string[] {
  const configured = parseSyncUrl(syncUrl);
  if (configured) {
    const ws = new URL(configured);
    const http = new URL(configured.replace(/^ws/, 'http'));
    return [originOf(ws), originOf(http)];
  }
  const out = new Set<string>();
  for (const raw of pageHosts) {
    const host = cleanHost(raw);
    if (!host) continue;
    const name = host.replace(/:\d+$/, '');
    for (const scheme of ['ws', 'wss', 'http', 'https']) out.add(`${scheme}://${name}:${DEFAULT_SYNC_PORT}`);
  }
  return [...out];
}

export type CspOptions = { nonce: string; connect: readonly string[]; dev?: boolean };

/** The policy for pages (and everything else the proxy answers). */
export function pageCsp({ nonce, connect, dev = false }: CspOptions): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(nonce)) throw new Error('nonce must be base64, at least 16 characters');
  return [
    "default-src 'self'",
    // next dev evaluates source maps and hot updates with eval(); production never does
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    // PNG/SVG export and pasted images are blob:/data: URLs
    "img-src 'self' blob: data:",
    "font-src 'self'",
    `connect-src 'self' ${connect.join(' ')}`.trim(),
    // the offline shell (/sw.js); no other workers today
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** For API responses (JSON, never a document to render). */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";
