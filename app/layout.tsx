import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = {
  title: 'Commonboard',
  description: 'A self-hostable collaborative whiteboard',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="h-full bg-slate-50 font-sans text-slate-900 antialiased">{children}</body>
    </html>
  );
}
