/** Test helpers: real servers (in-process or child process), real y-websocket clients, polling. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { Role } from '../../lib/auth/token';
import { boardIdFromUrl } from '../transport/ws';
import { DEFAULT_TUNING, type Config } from '../config';
import { createLogger } from '../logger';
import { startServer, type RunningServer } from '../start-server';

// every WebsocketProvider adds a process 'exit' listener; tests open more than Node's default 10
process.setMaxListeners(100);

const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** Every test server signs with this (AUTH_SECRET for child processes). */
export const TEST_AUTH_SECRET = 'test-only-secret-0123456789abcdefghijklmnopqrstuvwxyz';

export interface TestTokenOptions {
  role?: Role;
  name?: string;
  /** Share-link version (omit for an operator token). */
  lv?: number;
  /** Seconds from now; negative = already expired. */
  expiresIn?: number;
  secret?: string;
}

/**
 * A board token signed here with node:crypto, independently of lib/auth (which the server verifies
 * with), so the tests also pin the wire format: HS256 JWT, iss "commonboard", aud "commonboard:board".
 */
export function testToken(boardId: string, options: TestTokenOptions = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = {
    board: boardId,
    role: options.role ?? 'editor',
    name: options.name ?? 'test',
    iss: 'commonboard',
    aud: 'commonboard:board',
    iat: now,
    exp: now + (options.expiresIn ?? 600),
  };
  if (options.lv !== undefined) payload.lv = options.lv;
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const body = `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc(payload)}`;
  const sig = createHmac('sha256', options.secret ?? TEST_AUTH_SECRET).update(body).digest('base64url');
  return `${body}.${sig}`;
}

export function makeTempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'commonboard-test-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function testConfig(dataDir: string, overrides: Partial<Config> = {}): Config {
  return {
    port: 0,
    host: '127.0.0.1',
    dataDir,
    roomIdleMs: 10_000,
    logLevel: 'silent',
    maxMessageBytes: 16 * 1024 * 1024,
    ...DEFAULT_TUNING,
    ...overrides,
  };
}

/** Starts the server in this process on a free port. */
export async function startTestServer(dataDir: string, overrides: Partial<Config> = {}): Promise<RunningServer> {
  const config = testConfig(dataDir, overrides);
  return startServer(config, { logger: createLogger(config.logLevel), authSecret: new TextEncoder().encode(TEST_AUTH_SECRET) });
}

export interface ChildServer {
  pid: number;
  port: number;
  url: string;
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  logLines: string[];
}

/** How long a spawned server may take to log 'listening'. */
const SPAWN_TIMEOUT_MS = 20_000;

/** Spawns `node --import tsx server/index.ts` so the pid is the server's own. */
export async function spawnServer(dataDir: string, env: Record<string, string> = {}): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', AUTH_SECRET: TEST_AUTH_SECRET, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logLines: string[] = [];
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
    child.once('exit', (code, signal) => res({ code, signal })),
  );
  const port = await new Promise<number>((res, rej) => {
    // a server that never says 'listening' (e.g. LOG_LEVEL above info) must not outlive the test
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      rej(new Error(`server did not log 'listening' within ${SPAWN_TIMEOUT_MS} ms (LOG_LEVEL must be info or lower)`));
    }, SPAWN_TIMEOUT_MS);
    timer.unref();
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      logLines.push(line);
      try {
        const entry = JSON.parse(line) as { msg?: string; port?: number };
        if (entry.msg === 'listening' && typeof entry.port === 'number') {
          clearTimeout(timer);
          res(entry.port);
        }
      } catch {
        // not JSON: keep it in logLines for diagnostics
      }
    });
    void exited.then(({ code }) => {
      clearTimeout(timer);
      rej(new Error(`server exited early (${code}): ${stderr}`));
    });
  });
  return { pid: child.pid!, port, url: `ws://127.0.0.1:${port}`, child, exited, logLines };
}

export interface TestClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  destroy(): void;
}

/**
 * A stock y-websocket client; BroadcastChannel off so peers in this process only meet via the server.
 * It connects with an editor token for the board unless `token` is given (null = no token).
 */
export function connectClient(
  url: string,
  boardId: string,
  doc: Y.Doc = new Y.Doc(),
  { token = testToken(boardId) }: { token?: string | null } = {},
): TestClient {
  const provider = new WebsocketProvider(url, boardId, doc, {
    params: token === null ? {} : { token },
    // ws implements the browser WebSocket API the provider expects
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 200,
  });
  return {
    doc,
    provider,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

export async function waitFor(
  predicate: () => boolean | Promise<boolean>,
  { timeout = 10_000, interval = 10, what = 'condition' } = {},
): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await predicate()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

export interface RawClient {
  ws: WebSocket;
  messages: Uint8Array[];
  opened: Promise<void>;
  closed: Promise<{ code: number; reason: string }>;
}

/** A bare socket for sending hand-made frames; adds an editor token for the board unless the URL has one. */
export function rawClient(url: string): RawClient {
  const parsed = new URL(url);
  const boardId = boardIdFromUrl(parsed.pathname);
  if (!parsed.searchParams.has('token') && boardId) parsed.searchParams.set('token', testToken(boardId));
  const ws = new WebSocket(boardId ? parsed.toString() : url);
  const messages: Uint8Array[] = [];
  ws.on('message', (data: Buffer) => messages.push(new Uint8Array(data)));
  const opened = new Promise<void>((res, rej) => {
    ws.once('open', () => res());
    ws.once('error', rej);
  });
  const closed = new Promise<{ code: number; reason: string }>((res) =>
    ws.once('close', (code, reason) => res({ code, reason: reason.toString() })),
  );
  return { ws, messages, opened, closed };
}
