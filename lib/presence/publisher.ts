/**
 * Throttled publisher of the local presence state. Callers update fields as often as they like
 * (every pointer event); the state goes out at most `hz` times a second, and only if its encoded
 * JSON differs from what was last sent, so an idle user sends nothing beyond y-protocols' own
 * 15 s renewal. The sink is awareness.setLocalState in the app and a spy in tests.
 */
import { encodePresence, type PresenceState } from './awareness';
import { throttle, type Throttled } from './throttle';

export const DEFAULT_PRESENCE_HZ = 10;
export const MIN_PRESENCE_HZ = 5;
export const MAX_PRESENCE_HZ = 30;

type Timers = Parameters<typeof throttle>[3];

export class PresencePublisher {
  private state: PresenceState;
  private lastSent = '';
  private readonly flushThrottled: Throttled<[]>;

  constructor(
    initial: PresenceState,
    private readonly sink: (encoded: Record<string, unknown>) => void,
    hz: number = DEFAULT_PRESENCE_HZ,
    now?: () => number,
    timers?: Timers,
  ) {
    this.state = initial;
    const rate = Math.min(MAX_PRESENCE_HZ, Math.max(MIN_PRESENCE_HZ, hz));
    this.flushThrottled = throttle(() => this.flush(), 1000 / rate, now, timers);
  }

  get current(): PresenceState {
    return this.state;
  }

  update(patch: Partial<PresenceState>): void {
    this.state = { ...this.state, ...patch };
    this.flushThrottled();
  }

  /** Sends the current state now if it changed (used on start and before leaving). */
  flush(): void {
    const encoded = encodePresence(this.state);
    const json = JSON.stringify(encoded);
    if (json === this.lastSent) return;
    this.lastSent = json;
    this.sink(encoded);
  }

  dispose(): void {
    this.flushThrottled.cancel();
  }
}
