/** Where the browser finds the sync server. SYNC_URL is read at request time on the server. */

/** Validates a configured sync URL; undefined/empty means "derive it in the browser". */
export function parseSyncUrl(raw: string | undefined): string | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new Error(`SYNC_URL must be a ws:// or wss:// URL, got "${raw}"`);
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new Error(`SYNC_URL must use ws:// or wss://, got "${raw}"`);
  }
  if (url.search || url.hash) throw new Error(`SYNC_URL must not have a query or fragment, got "${raw}"`);
  return url.toString().replace(/\/+$/, '');
}

/** Default when none is configured: same host as the page, port 1234, wss on https pages. */
export function defaultSyncUrl(location: { protocol: string; hostname: string }): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const host = location.hostname.includes(':') ? `[${location.hostname}]` : location.hostname;
  return `${scheme}://${host}:1234`;
}
