import { describe, expect, it } from 'vitest';
import { matchesRecognizer } from '../compile.js';
import { addressRecognizer } from './address.js';

describe('ADDRESS recognizer', () => {
  it.each([
    ['北京市朝阳区建国路88号', undefined],
    ['广东省深圳市南山区科技园路1号3栋501室', undefined],
    ['上海市浦东新区世纪大道100号', undefined],
    ['221B Baker Street, London', undefined],
    ['1600 Pennsylvania Avenue, Washington, DC 20500', undefined],
    ['朝阳区望京小区3号楼2单元301', 'address'],
    ['海淀区中关村大街27号', '收货地址'],
    ['Flat 2, 10 Elm Grove, Leeds', 'home_address'],
  ])('accepts %s (field %s)', (value, field) => expect(matchesRecognizer(addressRecognizer, value, field)).toBe(true));

  it.each<[string, string | undefined, string]>([
    ['朝阳区望京小区3号楼2单元301', undefined, 'loose Chinese address without an address-like field name'],
    ['北京市', 'address', 'a single administrative unit is not an address'],
    ['Baker Street', undefined, 'no house number'],
    ['10 Reasons To Stay', undefined, 'no street suffix'],
    ['fe80::1 gateway', 'ip_address', 'ip_address is excluded'],
    ['hello world this is text', 'address', 'no house number'],
  ])('rejects %s (field %s: %s)', (value, field) => expect(matchesRecognizer(addressRecognizer, value, field)).toBe(false));
});
