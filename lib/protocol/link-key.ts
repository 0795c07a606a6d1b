/**
 * Share-link keys: 32 base64url characters when minted (server/transport/api.ts); a range is
 * accepted so the format can evolve. Checked by the web app's routes and the sync server's API.
 */
export const LINK_KEY_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;
