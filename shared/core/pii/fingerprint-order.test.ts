import { describe, expect, it } from 'vitest';
import { FingerprintCandidates, fingerprintOrder, fingerprintOrderOfUtf8, RANK_NEEDS_TEXT } from './fingerprint-order.js';

describe('fingerprintOrder (which values are fingerprinted first, the same in every store)', () => {
  it('agrees on the formats one value is written in', () => {
    expect(fingerprintOrder('+86 138-1234-5678')).toBe(fingerprintOrder('13812345678'));
    expect(fingerprintOrder('+44 20 7946 0958')).toBe(fingerprintOrder('020 7946 0958'));
    expect(fingerprintOrder('１３８１２３４５６７８')).toBe(fingerprintOrder('13812345678'));
    expect(fingerprintOrder('Alice.Smith@Example.COM')).toBe(fingerprintOrder('alice.smith@example.com'));
    expect(fingerprintOrder('DE89 3704 0044 0532 0130 00')).toBe(fingerprintOrder('DE89370400440532013000'));
    expect(fingerprintOrder('13812345678')).not.toBe(fingerprintOrder('13812345679'));
  });

  it('ranks every notation of one IP address alike (RFC 5952 compressed, expanded, IPv4-mapped)', () => {
    const rank = fingerprintOrder('2001:db8::1');
    for (const form of ['2001:DB8::1', '2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8:0:0:0::1']) expect(fingerprintOrder(form)).toBe(rank);
    expect(fingerprintOrder('2001:db8::2')).not.toBe(rank);
    for (const form of ['::ffff:192.0.2.128', '0:0:0:0:0:ffff:c000:0280', '::FFFF:C000:280']) expect(fingerprintOrder(form)).toBe(fingerprintOrder('192.0.2.128'));
  });

  it('skips values that cannot identify a person or account (names, labels, prices, timestamps with spaces aside)', () => {
    for (const v of ['Mary Smith', '张伟', 'Gold Member', '32.38', '2005']) expect(fingerprintOrder(v)).toBe(-1);
    for (const v of ['a@b.co', '10.0.0.1', 'fe80::1', '1234567']) expect(fingerprintOrder(v)).toBeGreaterThanOrEqual(0);
  });

  it('keeps the first values of the order, each once, whatever the arrival order', () => {
    const values = Array.from({ length: 3000 }, (_, i) => `user${i}@example.org`);
    const a = new FingerprintCandidates(100);
    const b = new FingerprintCandidates(100);
    for (const v of values) a.offer(v);
    for (const v of [...values].reverse()) { b.offer(v); b.offer(v); }
    expect(a.inOrder()).toHaveLength(100);
    expect(b.inOrder()).toEqual(a.inOrder());
    const ranks = a.inOrder().map(fingerprintOrder);
    expect(ranks).toEqual([...ranks].sort((x, y) => x - y));
    expect(Math.max(...ranks)).toBeLessThan(Math.min(...values.filter((v) => !a.inOrder().includes(v)).map(fingerprintOrder)));
  });
});

describe('fingerprintOrderOfUtf8 (the order read from bytes, without the text)', () => {
  it('gives fingerprintOrder of the text the bytes decode to, or asks for the text (non-ASCII candidates, IPv6, invalid UTF-8)', () => {
    const alphabet = [...'aZm09@:. -_/+#,()x123456789', '张', 'é', '\u3000', '\u00a0', '１', 'Ａ', '＠', '😀'];
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const values = ['13812345678', '+86 138-1234-5678', 'Alice.Smith@Example.COM', '10.0.0.1', '110101199003077777', 'DE89 3704 0044 0532 0130 00', 'Mary Smith', '2024-01-02 03:04:05', '1234567', '12:34:56.7', '杨强', '北京市朝阳区建国路224号', 'Müller'];
    for (let i = 0; i < 30_000; i++) values.push(Array.from({ length: Math.floor(next() * 20) }, () => alphabet[Math.floor(next() * alphabet.length)]).join(''));
    const bytes = (v: string | Uint8Array) => { const body = typeof v === 'string' ? new TextEncoder().encode(v) : v; const b = new Uint8Array([35, ...body, 35]); return [b, 1, b.length - 1] as const; };
    let decided = 0;
    for (const v of values) {
      const r = fingerprintOrderOfUtf8(...bytes(v));
      if (r === RANK_NEEDS_TEXT) expect(fingerprintOrder(v) >= 0 || /[😀]/u.test(v)).toBe(true);
      else {
        decided++;
        expect({ v, r }).toEqual({ v, r: fingerprintOrder(v) });
      }
    }
    expect(decided).toBeGreaterThan(values.length / 2);
    for (const v of ['杨强', '周敏芳 Gold', 'Müller']) expect(fingerprintOrderOfUtf8(...bytes(v))).toBe(-1);
    for (const v of ['2001:db8::1', '１３８１２３４５６７８', 'müller@example.de', '张伟 13812345678']) expect(fingerprintOrderOfUtf8(...bytes(v))).toBe(RANK_NEEDS_TEXT);
    // Invalid UTF-8 (a lone continuation byte, a truncated sequence, an overlong form) is left to the text.
    for (const b of [[0x80, 0x31], [0xe5, 0xbc], [0xe0, 0x80, 0xb1]]) expect(fingerprintOrderOfUtf8(...bytes(new Uint8Array(b)))).toBe(RANK_NEEDS_TEXT);
  });
});
