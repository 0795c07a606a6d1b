import { describe, expect, it } from 'vitest';
import { noteTreeToHtml } from './note-html';
import { isSafeHref, noteTreeText, sanitizeNoteTree } from './note-schema';

describe('note html and schema', () => {
  it('isSafeHref allows http, https and mailto only', () => {
    for (const ok of ['https://example.com/a?b=1', 'http://x.org', 'mailto:a@b.c']) expect(isSafeHref(ok)).toBe(true);
    for (const bad of ['javascript:alert(1)', 'JavaScript:alert(1)', ' javascript:x', 'java\nscript:x', 'data:text/html,x', 'vbscript:x', '/relative', 'file:///etc/passwd', '', 42]) {
      expect(isSafeHref(bad)).toBe(false);
    }
  });

  it('serialises formatting and escapes every text and attribute', () => {
    const html = noteTreeToHtml([
      { type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: '<b>T</b> & "q"', marks: [{ type: 'italic', attrs: {} }] }] },
      { type: 'paragraph', attrs: {}, content: [{ type: 'text', text: 'x', marks: [{ type: 'link', attrs: { href: 'https://a.b/?q="><script>' } }] }] },
      { type: 'codeBlock', attrs: { language: '"><img src=x onerror=alert(1)>' }, content: [{ type: 'text', text: 'a<b', marks: [] }] },
    ]);
    expect(html).toBe(
      '<h1><em>&lt;b&gt;T&lt;/b&gt; &amp; &quot;q&quot;</em></h1>' +
        '<p><a href="https://a.b/?q=&quot;&gt;&lt;script&gt;" rel="noopener noreferrer nofollow" target="_blank">x</a></p>' +
        '<pre><code>a&lt;b</code></pre>',
    );
  });

  it('drops unsafe content from raw peer trees', () => {
    const raw = [
      { type: 'script', attrs: {}, content: [{ type: 'text', text: 'alert(1)', marks: [] }] },
      { type: 'paragraph', attrs: { onclick: 'x' }, content: [{ type: 'text', text: 'go', marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }, { type: 'evil', attrs: {} }] }] },
      null,
      'string',
      { type: 'heading', attrs: { level: 99 }, content: [] },
    ];
    const html = noteTreeToHtml(raw);
    expect(html).toBe('alert(1)<p>go</p><h1></h1>');
    expect(html).not.toMatch(/script|javascript|onclick/);
  });

  it('caps the tree size and depth', () => {
    let deep: unknown = { type: 'text', text: 'x', marks: [] };
    for (let i = 0; i < 100; i++) deep = { type: 'blockquote', attrs: {}, content: [deep] };
    expect(JSON.stringify(sanitizeNoteTree([deep])).length).toBeLessThan(1000);
    const wide = Array.from({ length: 10_000 }, () => ({ type: 'paragraph', attrs: {}, content: [] }));
    expect(sanitizeNoteTree(wide).length).toBeLessThanOrEqual(5_000);
  });

  it('noteTreeText gives one line per block, lists flattened', () => {
    const text = noteTreeText(
      sanitizeNoteTree([
        { type: 'paragraph', content: [{ type: 'text', text: 'a' }, { type: 'hardBreak' }, { type: 'text', text: 'b' }] },
        { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'c' }] }] }] },
      ]),
    );
    expect(text).toBe('a\nb\nc');
  });
});
