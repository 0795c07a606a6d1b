/** Sniffing by magic bytes and the SVG policy, without a server. */
import { describe, expect, it } from 'vitest';
import { JobQueue, KeyedLock, UploadRateLimiter } from './limits';
import { svgProblem, sniffType } from './sniff';

const b = (s: string) => Buffer.from(s, 'latin1');

describe('sniffType', () => {
  it('knows the accepted types by their first bytes only', () => {
    expect(sniffType(b('\x89PNG\r\n\x1a\n....'))).toBe('image/png');
    expect(sniffType(b('\xff\xd8\xff\xe0....'))).toBe('image/jpeg');
    expect(sniffType(b('GIF89a....'))).toBe('image/gif');
    expect(sniffType(b('RIFF\x00\x00\x00\x00WEBPVP8 '))).toBe('image/webp');
    expect(sniffType(Buffer.from('\ufeff<?xml version="1.0"?>\n<!-- c --><!DOCTYPE svg PUBLIC "a" "b">\n<svg xmlns="x"/>'))).toBe('image/svg+xml');
    expect(sniffType(b('<svg>'))).toBe('image/svg+xml');
  });

  it('refuses everything else: HTML, an <svg> inside HTML, truncated magic, binary with NULs', () => {
    expect(sniffType(b('<html><svg></svg></html>'))).toBeNull();
    expect(sniffType(b('<svgfoo>'))).toBeNull();
    expect(sniffType(b('\x89PN'))).toBeNull();
    expect(sniffType(b('RIFF\x00\x00\x00\x00WAVE'))).toBeNull();
    expect(sniffType(b('<svg>\x00'))).toBeNull();
    expect(sniffType(Buffer.alloc(0))).toBeNull();
  });
});

describe('svgProblem', () => {
  it('accepts local references only', () => {
    expect(svgProblem('<svg><use href="#a"/><rect fill="url(#g)" style="fill: url( \'#g\' )"/></svg>')).toBeNull();
  });

  it.each([
    ['<svg><script/></svg>', 'a script'],
    ['<svg><SCRIPT>x</SCRIPT></svg>', 'a script'],
    ['<svg><rect onclick ="x"/></svg>', 'an event handler attribute'],
    ['<svg><a href="javascript:alert(1)"/></svg>', 'an external reference (href)'],
    ["<svg><image xlink:href='data:image/png;base64,AAAA'/></svg>", 'an external reference (href)'],
    ['<svg><set attributeName="href" to="https://x"/></svg>', 'an animated reference'],
    ['<svg><rect style="fill:url(http://x/y)"/></svg>', 'an external reference (url)'],
    ['<svg><style>@import url(#x);</style></svg>', 'a CSS @import'],
    ['<?xml-stylesheet href="#x"?><svg/>', 'an external stylesheet'],
    ['<!DOCTYPE svg [ <!ELEMENT svg ANY> ]><svg/>', 'a doctype with an internal subset'],
    ['<svg><iframe/></svg>', 'embedded content'],
  ])('%s -> %s', (svg, problem) => {
    expect(svgProblem(svg)).toBe(problem);
  });
});

describe('upload limits', () => {
  it('runs at most N jobs at once', async () => {
    const queue = new JobQueue(2);
    let running = 0;
    let peak = 0;
    const job = async () => {
      peak = Math.max(peak, ++running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
    };
    await Promise.all(Array.from({ length: 7 }, () => queue.run(job)));
    expect(peak).toBe(2);
    expect(queue.size).toBe(0);
  });

  it('allows a minute of uploads at once, then one per interval, per address', () => {
    const rate = new UploadRateLimiter(2);
    expect([rate.take('a', 0), rate.take('a', 0), rate.take('b', 0)]).toEqual([0, 0, 0]);
    expect(rate.take('a', 0)).toBe(30);
    expect(rate.take('a', 30_000)).toBe(0);
  });

  it('serializes work per key', async () => {
    const lock = new KeyedLock();
    const order: string[] = [];
    const step = (name: string, ms: number) => lock.with('k', async () => {
      order.push(`${name}+`);
      await new Promise((r) => setTimeout(r, ms));
      order.push(`${name}-`);
    });
    await Promise.all([step('a', 10), step('b', 1), lock.with('other', async () => void order.push('o'))]);
    expect(order).toEqual(['a+', 'o', 'a-', 'b+', 'b-']);
    expect(lock.held('k')).toBe(false);
  });
});
