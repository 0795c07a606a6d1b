/**
 * Commonboard's offline shell (registered by components/board/offline-shell.ts). It keeps the board
 * page and its static assets, so a board opened before can be reloaded with no network; the board
 * itself comes from IndexedDB, never from here. Board pages are network-first (a fresh deploy wins
 * when online); /_next/static/* is content-hashed, so cache-first. Nothing else is touched: no
 * API calls, no sync traffic.
 */
const CACHE = 'commonboard-shell-v1';

/** Cache key: board pages by path (the ?key= secret is never stored), static assets as they are. */
function keyFor(url) {
  if (url.origin !== self.location.origin) return null;
  if (url.pathname.startsWith('/b/')) return url.origin + url.pathname;
  if (url.pathname.startsWith('/_next/static/')) return url.href;
  return null;
}

async function store(key, response) {
  if (!response.ok || response.type === 'opaque') return;
  const cache = await caches.open(CACHE);
  await cache.put(key, response);
}

async function cacheUrls(urls) {
  const cache = await caches.open(CACHE);
  await Promise.all(
    urls.map(async (u) => {
      const key = keyFor(new URL(u, self.location.origin));
      if (!key || (key.includes('/_next/static/') && (await cache.match(key)))) return;
      const response = await fetch(key, { credentials: 'same-origin' });
      await store(key, response);
    }),
  );
}

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

// The page lists what it loaded before this worker controlled it; answered on the given port.
self.addEventListener('message', (event) => {
  const data = event.data;
  const port = event.ports[0];
  if (!data || data.type !== 'cache-shell' || !Array.isArray(data.urls) || !port) return;
  event.waitUntil(
    cacheUrls(data.urls.filter((u) => typeof u === 'string').slice(0, 500)).then(
      () => port.postMessage({ ok: true }),
      () => port.postMessage({ ok: false }),
    ),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const key = keyFor(new URL(request.url));
  if (!key) return;
  if (key.includes('/_next/static/')) {
    event.respondWith(
      caches.match(key).then(
        (hit) =>
          hit ??
          fetch(request).then((response) => {
            void store(key, response.clone());
            return response;
          }),
      ),
    );
    return;
  }
  if (request.mode !== 'navigate') return;
  event.respondWith(
    fetch(request).then(
      (response) => {
        void store(key, response.clone());
        return response;
      },
      async () => (await caches.match(key)) ?? Response.error(),
    ),
  );
});
