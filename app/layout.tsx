import type { Metadata } from 'next';
import { headers } from 'next/headers';
import type { ReactNode } from 'react';
import { THEME_SCRIPT } from '@/lib/ui/theme';
import './globals.css';

export const metadata: Metadata = {
  title: 'Commonboard',
  description: 'A self-hostable collaborative whiteboard',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // the per-request CSP nonce (proxy.ts); reading it also renders every page per request, as a nonce needs
  const nonce = (await headers()).get('x-nonce') ?? undefined;
  return (
    // the pre-paint script sets `dark` and color-scheme on <html> before React hydrates
    <html lang="en" suppressHydrationWarning>
      <head>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body className="h-full bg-slate-50 font-sans text-slate-900 antialiased dark:bg-slate-900 dark:text-slate-100">{children}</body>
    </html>
  );
}
