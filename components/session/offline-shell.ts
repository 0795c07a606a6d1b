/**
 * Registers the offline shell (public/sw.js) so a board opened before can be reloaded with no
 * network, and hands it the page and assets this load fetched before the worker controlled the
 * page. Production builds only: in `next dev` a cached chunk would fight hot reloading.
 */
let ready = false;

/** True once the shell has cached this page and its assets (the test API reports it). */
export function isOfflineShellReady(): boolean {
  return ready;
}

export function registerOfflineShell(): void {
  if (process.env.NODE_ENV !== 'production' || !('serviceWorker' in navigator)) return;
  void (async () => {
    try {
      await navigator.serviceWorker.register('/sw.js');
      const registration = await navigator.serviceWorker.ready;
      const urls = [
        window.location.pathname,
        ...performance
          .getEntriesByType('resource')
          .map((entry) => entry.name)
          .filter((name) => new URL(name).pathname.startsWith('/_next/static/')),
      ];
      const channel = new MessageChannel();
      channel.port1.onmessage = (event: MessageEvent<{ ok?: boolean }>) => {
        ready = event.data?.ok === true;
        channel.port1.close();
      };
      registration.active?.postMessage({ type: 'cache-shell', urls }, [channel.port2]);
    } catch {
      // no service worker (private mode, blocked): the board still works online, and offline once loaded
    }
  })();
}
