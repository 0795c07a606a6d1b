/**
 * Redis pub/sub between the servers (`REDIS_URL`): one channel per loaded board, one connection
 * to publish and one to subscribe (a subscribed connection can do nothing else).
 *
 * Pub/sub is at-most-once: a message is lost if Redis restarts, a connection blips or a
 * subscriber is slow enough to be cut off. Nothing depends on it for correctness; it only makes
 * updates arrive fast. Missing seqs are read from Postgres (cluster-sync.ts), and every
 * reconnect triggers that catch-up for all loaded boards, because whatever was published while
 * we were away is gone.
 *
 * Commands never queue while disconnected (enableOfflineQueue: false): a publish during an
 * outage fails at once (counted) instead of piling up; subscriptions are re-issued on 'ready'
 * from our own set, so boards loaded during the outage are covered too.
 */
import { Redis } from 'ioredis';
import type { Logger } from '../logger';

export const CHANNEL_PREFIX = 'commonboard:board:';
/** Every server subscribes to this one: heartbeats and goodbyes. */
export const SERVERS_CHANNEL = 'commonboard:servers';

export interface BusEvents {
  message(boardId: string, bytes: Uint8Array): void;
  /** A message on the servers' channel. */
  serverMessage(bytes: Uint8Array): void;
  /** (Re)connected and resubscribed: anything published meanwhile was missed. */
  reconnected(): void;
  publishFailed(): void;
}

export class RedisBus {
  private readonly pub: Redis;
  private readonly sub: Redis;
  /** Channel -> number of holders (load/unload pairs); the servers' channel is always held. */
  private readonly channels = new Map<string, number>([[SERVERS_CHANNEL, 1]]);
  private closed = false;

  constructor(
    url: string,
    private readonly log: Logger,
    private readonly events: BusEvents,
  ) {
    const options = {
      enableOfflineQueue: false,
      autoResubscribe: false,
      maxRetriesPerRequest: 1,
      // reconnect fast: the cluster relays nothing while Redis is away (only the slow poll runs)
      retryStrategy: (times: number) => Math.min(50 * times, 1_000),
      lazyConnect: true,
    };
    this.pub = new Redis(url, { ...options, connectionName: 'commonboard-pub' });
    this.sub = new Redis(url, { ...options, connectionName: 'commonboard-sub' });
    this.sub.on('messageBuffer', (channel: Buffer, message: Buffer) => {
      const name = channel.toString();
      if (name.startsWith(CHANNEL_PREFIX)) this.events.message(name.slice(CHANNEL_PREFIX.length), message);
      else if (name === SERVERS_CHANNEL) this.events.serverMessage(message);
    });
    let wasDown = false;
    this.sub.on('ready', () => {
      const list = [...this.channels.keys()];
      const resubscribed = list.length > 0 ? this.sub.subscribe(...list) : Promise.resolve(0);
      resubscribed.then(
        () => {
          if (wasDown) this.log.warn({ channels: list.length }, 'redis reconnected; catching up from storage');
          wasDown = false;
          this.events.reconnected();
        },
        (err: unknown) => this.log.error({ err }, 'redis resubscribe failed'),
      );
    });
    for (const conn of [this.pub, this.sub]) {
      conn.on('error', (err: Error) => this.log.debug({ err: err.message }, 'redis connection error'));
      conn.on('close', () => {
        if (!this.closed && !wasDown && conn === this.sub) this.log.warn('redis connection lost; relaying through storage polls');
        if (conn === this.sub) wasDown = true;
      });
    }
  }

  /** Connects both connections; resolves even if Redis is down (the bus keeps retrying). */
  async start(timeoutMs = 3_000): Promise<boolean> {
    const ready = (conn: Redis) =>
      new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        conn.connect().then(
          () => {
            clearTimeout(timer);
            resolve(true);
          },
          () => {
            clearTimeout(timer);
            resolve(false); // retryStrategy keeps trying in the background
          },
        );
      });
    const [a, b] = await Promise.all([ready(this.pub), ready(this.sub)]);
    return a && b;
  }

  get connected(): boolean {
    return this.pub.status === 'ready' && this.sub.status === 'ready';
  }

  /** Resolves if Redis answers PING on both connections' server. */
  async ping(): Promise<void> {
    if (!this.connected) throw new Error(`redis ${this.sub.status}`);
    await this.pub.ping();
  }

  /** Takes one hold on the board's channel; a failure is logged (the next 'ready' retries it). */
  async subscribe(boardId: string): Promise<void> {
    const channel = CHANNEL_PREFIX + boardId;
    const holders = this.channels.get(channel) ?? 0;
    this.channels.set(channel, holders + 1);
    if (holders > 0 || this.sub.status !== 'ready') return;
    try {
      await this.sub.subscribe(channel);
    } catch (err) {
      this.log.warn({ err, boardId }, 'redis subscribe failed; storage polls cover the board');
    }
  }

  unsubscribe(boardId: string): void {
    const channel = CHANNEL_PREFIX + boardId;
    const holders = (this.channels.get(channel) ?? 0) - 1;
    if (holders > 0) {
      this.channels.set(channel, holders);
      return;
    }
    this.channels.delete(channel);
    if (this.sub.status === 'ready') this.sub.unsubscribe(channel).catch(() => {});
  }

  publish(boardId: string, bytes: Uint8Array): void {
    this.send(CHANNEL_PREFIX + boardId, bytes);
  }

  publishToServers(bytes: Uint8Array): void {
    this.send(SERVERS_CHANNEL, bytes);
  }

  private send(channel: string, bytes: Uint8Array): void {
    if (this.pub.status !== 'ready') {
      this.events.publishFailed();
      return;
    }
    this.pub.publish(channel, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).catch(() => this.events.publishFailed());
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([this.pub.quit(), this.sub.quit()]);
    this.pub.disconnect();
    this.sub.disconnect();
  }
}
