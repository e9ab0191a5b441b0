/**
 * Generates resources/explain/k8s-api-docs.json from the official zh-CN Kubernetes API reference
 * (../shared/corpora/kubernetes-api-zh-cn, CC BY 4.0, The Kubernetes Authors). Run at build time:
 *   npm run explain:build  [-- <corpus dir> <out file>]
 * The output is committed, so the app explains core kinds offline without the corpus.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApiDocs } from './k8s-api-docs.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const corpus = resolve(process.argv[2] ?? join(here, '../../../shared/corpora/kubernetes-api-zh-cn'));
const out = resolve(process.argv[3] ?? join(here, '../../resources/explain/k8s-api-docs.json'));

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : name.endsWith('.md') ? [path] : [];
  });
}

const pages = new Map<string, string>();
for (const file of walk(corpus)) {
  const rel = relative(corpus, file).replace(/\\/g, '/').replace(/\.md$/, '');
  if (rel === 'SOURCE') continue;
  pages.set(rel, readFileSync(file, 'utf8'));
}
const docs = buildApiDocs(pages, {
  title: 'Kubernetes API reference (Simplified Chinese, with the English original)',
  url: 'https://github.com/kubernetes/website/tree/main/content/zh-cn/docs/reference/kubernetes-api',
  license: 'CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)',
  authors: 'The Kubernetes Authors',
  pages: pages.size,
  note: 'Field descriptions are quoted from the pages as published (English from the HTML comments beside each translation); structure extracted by Driftline, nothing translated by it.',
});
writeFileSync(out, JSON.stringify(docs) + '\n');
const fields = Object.values(docs.types).reduce((n, t) => n + t.fields.length, 0);
const zh = Object.values(docs.types).reduce((n, t) => n + t.fields.filter((f) => f.zh).length, 0);
console.log(`${out}: ${Object.keys(docs.kinds).length} kinds, ${Object.keys(docs.types).length} types, ${fields} fields (${zh} with Chinese)`);
