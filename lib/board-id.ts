/**
 * Board ids appear in page URLs (/b/<id>), sync URLs (ws://host:port/<id>) and storage keys,
 * so they are restricted to URL-safe characters and a bounded length.
 */
export const BOARD_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function isBoardId(value: unknown): value is string {
  return typeof value === 'string' && BOARD_ID_PATTERN.test(value);
}

/** 128 random bits as 22 base64url characters: unguessable, URL-safe. */
export function newBoardId(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
