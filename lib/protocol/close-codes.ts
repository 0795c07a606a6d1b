/**
 * WebSocket close codes used by the sync server, shared with the client so it can explain them.
 * y-websocket >= 3.1 stops reconnecting on 4400-4499 (permanent); everything else is retried.
 */
export const CloseCode = {
  /** Server is shutting down or restarting: reconnect later (transient). */
  ServiceRestart: 1012,
  /** Server is overloaded: reconnect later (transient). */
  TryAgainLater: 1013,
  /** The URL path is not a valid board id (permanent). */
  InvalidBoardId: 4400,
  /** Missing, forged or expired token (permanent until a new token). */
  Unauthorized: 4401,
  /** Token valid but not for this board / role (permanent). */
  Forbidden: 4403,
  /** The board was deleted (it is in the trash until an operator restores it or it is purged; permanent). */
  BoardDeleted: 4410,
  /** A frame or the board exceeds a configured size limit (permanent). */
  TooLarge: 4413,
  /** A frame could not be decoded or an update failed validation (permanent). */
  MalformedMessage: 4422,
  /** Rate limit exceeded (transient: 45xx are retried with backoff). */
  RateLimited: 4529,
  /**
   * The client reads slower than the board changes: its unsent backlog passed the server's bound,
   * so it is dropped (transient) and resyncs on reconnect instead of growing server memory.
   */
  SlowClient: 4508,
} as const;

export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

export function isPermanentClose(code: number): boolean {
  return code >= 4400 && code < 4500;
}
