/** A hand-driven HTTP-fallback stream for tests: opens `GET <path>` and collects its Server-Sent Events. */

export interface SseEvent {
  event: string;
  data: string;
}

export interface SseStream {
  res: Response;
  events: SseEvent[];
  abort(): void;
}

/** `onAbort` receives the abort function (tests register it with their cleanups). */
export async function openSseStream(url: string, headers: Record<string, string>, onAbort: (abort: () => void) => void): Promise<SseStream> {
  const controller = new AbortController();
  const abort = () => controller.abort();
  onAbort(abort);
  const res = await fetch(url, { headers, signal: controller.signal });
  const events: SseEvent[] = [];
  if (res.ok && res.body) {
    void (async () => {
      let buffer = '';
      try {
        for await (const chunk of res.body!.pipeThrough(new TextDecoderStream())) {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
            const data = [...block.matchAll(/^data: (.*)$/gm)].map((m) => m[1]).join('');
            events.push({ event, data });
          }
        }
      } catch {
        // aborted at cleanup
      }
    })();
  }
  return { res, events, abort };
}
