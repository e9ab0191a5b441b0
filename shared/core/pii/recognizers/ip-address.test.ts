import { describe, expect, it } from 'vitest';
import { matchesRecognizer } from '../compile.js';
import { normalizeForFingerprint } from '../normalize.js';
import { canonicalIP } from '../ip-notation.js';
import { ipAddressRecognizer } from './ip-address.js';

describe('IP_ADDRESS recognizer', () => {
  it.each([
    ['192.168.1.10'],
    ['8.8.8.8'],
    ['255.255.255.255'],
    ['2001:db8::1'],
    ['2001:0db8:85a3:0000:0000:8a2e:0370:7334'],
    ['fe80::1ff:fe23:4567:890a'],
    ['::ffff:192.0.2.128'],
    ['::1'],
  ])('accepts %s', (value) => expect(matchesRecognizer(ipAddressRecognizer, value)).toBe(true));

  it.each([
    ['256.1.1.1', 'octet above 255'],
    ['192.168.01.1', 'leading zero (octal to some parsers)'],
    ['1.2.3', 'three parts: a version string'],
    ['10.0.19041.1', 'a Windows build number'],
    ['2001:db8::1::2', 'two ::'],
    ['2001:db8:0:0:0:0:0:0:1', 'nine groups'],
    ['12345::1', 'group longer than 4 hex digits'],
    ['00:1a:2b:3c:4d:5e', 'a MAC address (six groups, no ::)'],
    ['12:30:45', 'a time of day'],
    ['gggg::1', 'not hexadecimal'],
  ])('rejects %s (%s)', (value) => expect(matchesRecognizer(ipAddressRecognizer, value)).toBe(false));

  // RFC 5952 §2.1–2.4: every text form of one address, each with the one form §4 recommends.
  it.each<[string, string[]]>([
    ['2001:db8::1:0:0:1', ['2001:db8:0:0:1:0:0:1', '2001:0db8:0:0:1:0:0:1', '2001:db8::1:0:0:1', '2001:db8::0:1:0:0:1', '2001:0db8::1:0:0:1', '2001:db8:0:0:1::1', '2001:db8:0000:0:1::1', '2001:DB8:0:0:1::1']],
    ['2001:db8:aaaa:bbbb:cccc:dddd:eeee:1', ['2001:db8:aaaa:bbbb:cccc:dddd:eeee:0001', '2001:db8:aaaa:bbbb:cccc:dddd:eeee:001', '2001:db8:aaaa:bbbb:cccc:dddd:eeee:01', '2001:db8:aaaa:bbbb:cccc:dddd:eeee:1']],
    // §4.2.2: a single 16-bit zero group is not shortened to `::`.
    ['2001:db8:aaaa:bbbb:cccc:dddd:0:1', ['2001:db8:aaaa:bbbb:cccc:dddd::1', '2001:db8:aaaa:bbbb:cccc:dddd:0:1']],
    ['2001:db8::1', ['2001:db8:0:0:0::1', '2001:db8:0:0::1', '2001:db8:0::1', '2001:db8::1', '2001:0DB8:0000:0000:0000:0000:0000:0001']],
    // §4.2.3: of two equally long zero runs the first is shortened.
    ['2001:db8::aaaa:0:0:1', ['2001:db8::aaaa:0:0:1', '2001:db8:0:0:aaaa::1']],
    // §4.2.3: the longest run wins.
    ['2001:0:0:1::1', ['2001:0:0:1:0:0:0:1']],
    ['2001:db8:aaaa:bbbb:cccc:dddd:eeee:aaaa', ['2001:db8:aaaa:bbbb:cccc:dddd:eeee:aaaa', '2001:db8:aaaa:bbbb:cccc:dddd:eeee:AAAA', '2001:db8:aaaa:bbbb:cccc:dddd:eeee:AaAa']],
    // RFC 4291 §2.2 examples.
    ['2001:db8::8:800:200c:417a', ['2001:DB8:0:0:8:800:200C:417A', '2001:DB8::8:800:200C:417A']],
    ['ff01::101', ['FF01:0:0:0:0:0:0:101', 'FF01::101']],
    ['::1', ['0:0:0:0:0:0:0:1', '::1']],
    ['::', ['0:0:0:0:0:0:0:0', '::']],
    ['abcd:ef01:2345:6789:abcd:ef01:2345:6789', ['ABCD:EF01:2345:6789:ABCD:EF01:2345:6789']],
    // An IPv4-compatible address (deprecated, RFC 4291 §2.5.5.1) has no well-known mapped prefix: hex groups.
    ['::d01:4403', ['0:0:0:0:0:0:13.1.68.3', '::13.1.68.3']],
  ])('every notation of %s normalises to it (RFC 5952)', (canonical, forms) => {
    for (const form of forms) expect({ form, canonical: normalizeForFingerprint('IP_ADDRESS', form) }).toEqual({ form, canonical });
  });

  it('an IPv4-mapped address (RFC 4291 §2.5.5.2) in any notation is the IPv4 address it maps', () => {
    for (const form of ['0:0:0:0:0:FFFF:129.144.52.38', '::FFFF:129.144.52.38', '::ffff:8190:3426', '0000:0000:0000:0000:0000:ffff:8190:3426']) {
      expect({ form, canonical: normalizeForFingerprint('IP_ADDRESS', form) }).toEqual({ form, canonical: '129.144.52.38' });
    }
    expect(normalizeForFingerprint('IP_ADDRESS', '129.144.52.38')).toBe('129.144.52.38');
    // Only ::ffff:0:0/96 maps: a neighbour prefix is another address.
    expect(canonicalIP('::fffe:8190:3426')).toBe('::fffe:8190:3426');
    expect(canonicalIP('1::ffff:8190:3426')).toBe('1::ffff:8190:3426');
  });

  it('keeps different addresses different', () => {
    const forms = ['2001:db8::1', '2001:db8::1:0', '2001:db8:0:1::', '2001:db8::10', '::ffff:192.0.2.1', '192.0.2.10', '::192.0.2.1'];
    expect(new Set(forms.map((f) => normalizeForFingerprint('IP_ADDRESS', f))).size).toBe(forms.length);
  });

  it('masks an IPv4-mapped address as the IPv4 it is: no octet past the second shows', () => {
    expect(ipAddressRecognizer.mask!('::ffff:192.0.2.128')).toBe('192.0.*.*');
    expect(ipAddressRecognizer.mask!('::ffff:c000:280')).toBe('192.0.*.*');
  });
});
