/**
 * Content-Security-Policy with a fresh nonce for every page (Next reads the nonce from the request's
 * CSP header and puts it on its own scripts; app/layout.tsx puts it on the theme script). API routes
 * and content-hashed assets are not matched: their headers come from next.config.mjs, and a proxy on
 * /api would make Next buffer request bodies for it.
 */
import { NextResponse, type NextRequest } from 'next/server';
import { pageCsp, syncSources } from '@/lib/http/csp';
import { publicOrigin } from '@/lib/http/client';

function pageHosts(req: NextRequest): string[] {
  const hosts = [req.headers.get('host') ?? ''];
  try {
    const origin = publicOrigin(req.headers);
    if (origin) hosts.push(new URL(origin).host);
  } catch {
    // a bad PUBLIC_URL / TRUST_PROXY is reported by the routes that need them
  }
  return hosts;
}

function connectSources(req: NextRequest): string[] {
  try {
    return syncSources(process.env.SYNC_URL, pageHosts(req));
  } catch {
    return []; // a bad SYNC_URL: the board page itself fails with the reason
  }
}

export function proxy(req: NextRequest): NextResponse {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString('base64');
  const csp = pageCsp({ nonce, connect: connectSources(req), dev: process.env.NODE_ENV === 'development' });
  const headers = new Headers(req.headers);
  headers.set('content-security-policy', csp);
  headers.set('x-nonce', nonce);
  const res = NextResponse.next({ request: { headers } });
  res.headers.set('Content-Security-Policy', csp);
  return res;
}

export const config = {
  matcher: ['/((?!api/|_next/static/|_next/image).*)'],
};
