/**
 * What an upload is, decided from its bytes only (the name and Content-Type the client sends are
 * ignored: they are whatever the client says). And the SVG policy: an SVG is only ever rasterized
 * here, never served, but the rasterizer (librsvg) must still not be pointed anywhere, so anything
 * that could reference or run something is refused outright instead of being "cleaned".
 */
import type { ImageType } from '../../lib/files/file-contract';

/** Bytes of the upload's start that sniffing looks at (an SVG's root may follow a long prolog). */
export const SNIFF_BYTES = 64 * 1024;
/** SVGs are checked as whole text, so they are held in memory: capped well below MAX_FILE_BYTES. */
export const MAX_SVG_BYTES = 2 * 1024 * 1024;

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(head: Uint8Array, bytes: readonly number[], at = 0): boolean {
  if (head.byteLength < at + bytes.length) return false;
  return bytes.every((b, i) => head[at + i] === b);
}

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

/** The image type of these first bytes, or null for anything we do not accept. */
export function sniffType(head: Uint8Array): ImageType | null {
  if (startsWith(head, PNG)) return 'image/png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(head, ascii('GIF87a')) || startsWith(head, ascii('GIF89a'))) return 'image/gif';
  if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8)) return 'image/webp';
  if (looksLikeSvg(head)) return 'image/svg+xml';
  return null;
}

/**
 * XML text whose root element is <svg>: optional BOM, XML declaration, comments, processing
 * instructions and a doctype may come first. Binary data (a NUL byte) is never SVG.
 */
function looksLikeSvg(head: Uint8Array): boolean {
  if (head.includes(0)) return false;
  let text = Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let at = 0;
  for (;;) {
    while (at < text.length && /\s/.test(text[at])) at++;
    if (text.startsWith('<?', at)) {
      const end = text.indexOf('?>', at);
      if (end < 0) return false;
      at = end + 2;
    } else if (text.startsWith('<!--', at)) {
      const end = text.indexOf('-->', at);
      if (end < 0) return false;
      at = end + 3;
    } else if (text.startsWith('<!DOCTYPE', at) || text.startsWith('<!doctype', at)) {
      // an internal subset `[...]` may contain '>'; the policy refuses it later anyway
      const bracket = text.indexOf('[', at);
      const close = text.indexOf('>', at);
      if (close < 0) return false;
      if (bracket >= 0 && bracket < close) {
        const end = text.indexOf(']>', bracket);
        if (end < 0) return false;
        at = end + 2;
      } else {
        at = close + 1;
      }
    } else {
      return /^<svg[\s>/]/.test(text.slice(at, at + 5));
    }
  }
}

/**
 * Why this SVG is refused, or null if it may be rasterized. Conservative on purpose: a pattern
 * that also matches harmless text refuses a drawing (the user can send a PNG), never the reverse.
 */
export function svgProblem(text: string): string | null {
  if (/<!ENTITY/i.test(text)) return 'entity declarations';
  if (/<!DOCTYPE[^>]*\[/i.test(text)) return 'a doctype with an internal subset';
  if (/<\?xml-stylesheet/i.test(text)) return 'an external stylesheet';
  if (/<script[\s>/]/i.test(text) || /<script$/i.test(text)) return 'a script';
  if (/<foreignObject[\s>/]/i.test(text)) return 'foreignObject';
  if (/<(?:iframe|embed|object|audio|video)[\s>/]/i.test(text)) return 'embedded content';
  if (/[\s"'/]on[a-z][a-z0-9_-]*\s*=/i.test(text)) return 'an event handler attribute';
  if (/@import/i.test(text)) return 'a CSS @import';
  // animations can set href to anything
  if (/attributeName\s*=\s*["']\s*(?:[a-z]+:)?href/i.test(text)) return 'an animated reference';
  for (const m of text.matchAll(/href\s*=\s*(["'])([\s\S]*?)\1/gi)) {
    if (!m[2].trim().startsWith('#')) return 'an external reference (href)';
  }
  if (/href\s*=\s*[^"'\s]/i.test(text)) return 'an unquoted reference';
  for (const m of text.matchAll(/url\s*\(\s*(["']?)\s*([^)"']*)/gi)) {
    if (!m[2].trim().startsWith('#')) return 'an external reference (url)';
  }
  return null;
}
