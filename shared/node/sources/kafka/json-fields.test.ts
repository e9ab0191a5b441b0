import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { thirdPartyData } from '../../../../scripts/testing/corpora.js';
import { forEachJsonLeaf } from './decode.js';
import { WantedPaths } from './json-fields.js';

/** What the leaf walk over the parsed document gives the wanted paths, in document order. */
function walked(text: string, wanted: Set<string>, prefix = ''): string[] {
  const out: string[] = [];
  forEachJsonLeaf(JSON.parse(text), prefix, (path, v) => wanted.has(path) && out.push(`${path}=${v}`));
  return out;
}

/** What the raw reader gives them from the bytes. */
function read(text: string, wanted: Set<string>, prefix = ''): string[] | false {
  const w = new WantedPaths(prefix);
  for (const p of wanted) w.add(p);
  const out: string[] = [];
  return w.read(Buffer.from(text, 'utf8'), (path, v) => out.push(`${path}=${v}`)) && out;
}

const allPaths = (text: string, prefix = '') => {
  const paths = new Set<string>();
  forEachJsonLeaf(JSON.parse(text), prefix, (path) => paths.add(path));
  return paths;
};

describe('WantedPaths reads fields out of raw JSON as the leaf walk over JSON.parse would', () => {
  it('gives every leaf of real third-party documents (the OpenLineage JSON schemas) exactly, pretty-printed and compact', () => {
    const dir = thirdPartyData('openlineage-spec');
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const file of files) {
      const pretty = readFileSync(join(dir, file), 'utf8');
      for (const text of [pretty, JSON.stringify(JSON.parse(pretty))]) {
        const paths = allPaths(text);
        expect(paths.size).toBeGreaterThan(5);
        expect(read(text, paths)).toEqual(walked(text, paths));
      }
    }
  });

  it('reads escapes, unicode, numbers as the walk prints them, booleans, nulls and arrays of objects', () => {
    const doc = {
      'name': '林超 "the \\ boss"\n',
      'e\u006dail': 'a@b.cn',
      'n': [1e21, -0.5, 110105199510097580, 13812345678, 0],
      'ok': true, 'no': false, 'none': null,
      'items': [{ email: 'x@y.z', tags: ['a', { deep: ['d@e.f'] }] }, { email: null }, []],
      'matrix': [[1, 2], [3, [4]]],
      'emoji': '\ud83d\ude00 ok',
      '$ref': '#/x',
    };
    const text = JSON.stringify(doc, null, 1).replace('"e\\u006dail"', '"e\\u006dail"');
    const paths = allPaths(text);
    expect(read(text, paths)).toEqual(walked(text, paths));
    // The key written with an escape is still found.
    const escapedKey = '{"e\\u006dail":"a@b.cn","x":1}';
    expect(read(escapedKey, new Set(['email']))).toEqual(['email=a@b.cn']);
    // A number token keeps the walk's String(Number) form (precision included).
    expect(read('{"id":110105199510097580,"f":1.50,"e":1E2}', new Set(['id', 'f', 'e']))).toEqual(walked('{"id":110105199510097580,"f":1.50,"e":1E2}', new Set(['id', 'f', 'e'])));
  });

  it('reads only the wanted paths, and keys under their prefix', () => {
    const text = '{"customer":{"mobile":"13812345678","name":"x"},"mobile":"other","items":[{"email":"a@b.c"}]}';
    expect(read(text, new Set(['customer.mobile', 'items[].email']))).toEqual(['customer.mobile=13812345678', 'items[].email=a@b.c']);
    expect(read('{"order_no":"SO1000001"}', new Set(['$key.order_no', 'order_no']), '$key')).toEqual(['$key.order_no=SO1000001']);
    const w = new WantedPaths('$key');
    w.add('$key');
    w.add('$keyboard');
    w.add('order_no');
    w.add('$key.a.');
    expect(w.size).toBe(0);
    w.add('$key[].a');
    expect(w.size).toBe(1);
  });

  it('stops reading once every wanted path outside arrays was found; reads to the end when one is inside an array', () => {
    const rest = '"tail":[1,2,{"x":"y"}],"note":"z"}';
    expect(read(`{"user":{"email":"a@b.cn","id":7},${rest}`, new Set(['user.email', 'user.id']))).toEqual(['user.email=a@b.cn', 'user.id=7']);
    // What follows the last wanted value is not read (so not checked either).
    expect(read('{"email":"a@b.cn", this is not JSON', new Set(['email']))).toEqual(['email=a@b.cn']);
    expect(read('{"email":"a@b.cn","tags":["t@u.v"], not JSON', new Set(['email', 'tags[]']))).toBe(false);
    expect(read('{"email":"a@b.cn","tags":["t@u.v","w@x.y"]}', new Set(['email', 'tags[]']))).toEqual(['email=a@b.cn', 'tags[]=t@u.v', 'tags[]=w@x.y']);
  });

  it('refuses a wanted string that is not UTF-8 (the whole-message decoder calls such a message binary)', () => {
    const bytes = Buffer.concat([Buffer.from('{"email":"a'), Buffer.from([0xff, 0xfe]), Buffer.from('@b.cn"}')]);
    const w = new WantedPaths();
    w.add('email');
    expect(w.read(bytes, () => undefined)).toBe(false);
    w.add('other');
    expect(w.read(Buffer.from('{"email":"林@例子.中国","other":null}'), () => undefined)).toBe(true);
  });

  it('gives up on bytes that are not JSON it can step through, and hands out nothing then', () => {
    const wanted = new Set(['a', 'b']);
    for (const bad of ['{"a":"x"', '{"a":"x"} trailing', '{"a" "x"}', '{"a":"x",}', '{"a":tru}', '{"a":"x","b":"\\q"}', '"just a string"', '42', '{"b":[1,2}', '{"a":"unterminated}']) {
      expect(read(bad, wanted), bad).toBe(false);
    }
  });

  it('steps over a value nested 100 000 levels deep without recursing (and follows wanted paths only 64 deep)', () => {
    const deep = `{"email":"a@b.cn","blob":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    expect(read(deep, new Set(['email']))).toEqual(['email=a@b.cn']);
    const path = Array.from({ length: 70 }, () => 'k').join('.');
    const nested = `${'{"k":'.repeat(70)}"v"${'}'.repeat(70)}`;
    expect(read(nested, new Set([path]))).toBe(false);
  });
});
