import { describe, expect, it } from 'vitest';
import { matchesRecognizer } from '../compile.js';
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
});
