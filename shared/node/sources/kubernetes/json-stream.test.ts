import { describe, expect, it } from 'vitest';
import { streamJsonObjects } from './json-stream.js';

async function collect(chunks: string[]) {
  async function* gen() {
    for (const c of chunks) yield Buffer.from(c);
  }
  const out = [];
  for await (const item of streamJsonObjects(gen(), 'f.json')) out.push(item);
  return out;
}

describe('streamJsonObjects', () => {
  it('yields a List item before the rest of the file has been read', async () => {
    let supplied = 0;
    async function* gen() {
      for (const c of ['{"kind":"List","items":[{"metadata":{"name":"a"}}', ',{"metadata":{"name":"b"}}', ']}']) {
        supplied++;
        yield Buffer.from(c);
      }
    }
    const it = streamJsonObjects(gen(), 'f.json')[Symbol.asyncIterator]();
    const first = await it.next();
    expect(first.value?.value).toEqual({ metadata: { name: 'a' } });
    expect(supplied).toBe(1); // the later chunks were not needed to get the first item
  });

  it('copes with any chunking: strings with brackets, escapes and multi-byte characters split anywhere', async () => {
    const doc = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMapList', metadata: { resourceVersion: '1' }, items: [
      { metadata: { name: 'é"}]\\' }, data: { k: '[{"x":1}]' } },
      { metadata: { name: '数据' } },
    ] });
    const bytes = Buffer.from(doc);
    for (const size of [1, 2, 3, 7, 64]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
      const out = [];
      async function* gen() {
        yield* chunks;
      }
      for await (const item of streamJsonObjects(gen(), 'f.json')) out.push(item);
      expect(out.map((o) => o.value)).toEqual(JSON.parse(doc).items);
      expect(out.every((o) => o.listKind === 'ConfigMapList' && o.listApiVersion === 'v1')).toBe(true);
    }
  });

  it('yields a single object, a top-level array and concatenated values', async () => {
    expect((await collect(['{"kind":"Secret","metadata":{"name":"s"}}'])).map((o) => o.value)).toEqual([{ kind: 'Secret', metadata: { name: 's' } }]);
    expect((await collect(['[{"a":1},', '{"b":2}]'])).map((o) => o.value)).toEqual([{ a: 1 }, { b: 2 }]);
    expect((await collect(['{"kind":"A"}\n{"kind":"B"}'])).map((o: any) => o.value.kind)).toEqual(['A', 'B']);
  });

  it('rejects garbage between values with the line number', async () => {
    await expect(collect(['{"kind":"A"}\n\nnot json'])).rejects.toThrow(/f\.json:3: unexpected "n"/);
  });
});
