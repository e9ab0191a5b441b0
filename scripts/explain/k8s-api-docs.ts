/**
 * Reads the official Simplified Chinese Kubernetes API reference pages (kubernetes/website,
 * content/zh-cn/docs/reference/kubernetes-api/, CC BY 4.0, The Kubernetes Authors) into the
 * offline explain resource: every type's fields with their type, whether required, and the English
 * original (kept in HTML comments on each page) paired field by field with its Chinese translation.
 * Nothing is translated here: a field whose page has no Chinese keeps its English only.
 */
import type { ApiDocField, ApiDocResource, ApiDocType } from '../../shared/core/explain/api-docs.js';

const CJK = /[\u3400-\u9fff]/;
/** Chinese characters and full-width punctuation: lines wrapped between them join without a space. */
const WIDE = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’]/;
const WIDE_PUNCT = /[\u3000-\u303f\uff00-\uffef“”]/;
const ANCHOR_HEADING = /^\s*##\s+(.*?)\s*\{#([A-Za-z0-9_-]+)\}\s*$/;
const INLINE_TYPE = /^\s*<a name="([A-Za-z0-9_.-]+)"><\/a>\s*$/;
const ITEM = /^(\s*)- \*\*([A-Za-z0-9_.$\-[\]]+)\*\*\s*(.*)$/;
const LINK = /<a href="\{\{< ref "([^"]*)" >\}\}">([^<]*)<\/a>/g;

interface Segment { comment: boolean; text: string }

/** Splits a page into text inside and outside HTML comments, in order. */
export function splitComments(page: string): Segment[] {
  const out: Segment[] = [];
  let rest = page;
  while (rest.length) {
    const open = rest.indexOf('<!--');
    if (open < 0) { out.push({ comment: false, text: rest }); break; }
    if (open > 0) out.push({ comment: false, text: rest.slice(0, open) });
    const close = rest.indexOf('-->', open + 4);
    if (close < 0) { out.push({ comment: true, text: rest.slice(open + 4) }); break; }
    out.push({ comment: true, text: rest.slice(open + 4, close) });
    rest = rest.slice(close + 3);
  }
  return out;
}

/** The page's own front matter (the Chinese one outside comments): apiVersion and kind of its resource. */
function frontMatter(page: string): { apiVersion?: string; kind?: string } {
  const m = /^---\n([\s\S]*?)\n---/.exec(page);
  if (!m) return {};
  const apiVersion = /apiVersion:\s*"([^"]+)"/.exec(m[1])?.[1];
  const kind = /kind:\s*"([^"]+)"/.exec(m[1])?.[1];
  return { apiVersion, kind };
}

interface RawItem {
  path: string;
  type?: string;
  refTarget?: string;
  required: boolean;
  fixed?: string;
  text: string[];
  inlineName?: string;
  inlineText: string[];
}

interface Stream { description: string[]; items: Map<string, RawItem>; order: string[] }

/** Reads the type in "(…)" (or "（…）") after a field name, and what follows it. */
function parseItemHead(rest: string): { type?: string; refTarget?: string; required: boolean; fixed?: string } {
  const text = rest.trim();
  if (text.startsWith(':') || text.startsWith('：')) return { required: false, fixed: text.slice(1).trim() };
  if (!(text.startsWith('(') || text.startsWith('（'))) return { required: false };
  let depth = 0;
  let end = -1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(' || ch === '（') depth++;
    else if (ch === ')' || ch === '）') { depth--; if (depth === 0) { end = i; break; } }
  }
  const inner = end > 0 ? text.slice(1, end) : text.slice(1);
  const after = end > 0 ? text.slice(end + 1) : '';
  let refTarget: string | undefined;
  const type = inner.replace(LINK, (_, target: string, label: string) => { refTarget = target; return label; }).trim();
  return { type, refTarget, required: /required|必需|必填/.test(after) };
}

/** Parses one language's text of a section: its description and its fields (with nested paths). */
function parseStream(lines: string[]): Stream {
  const stream: Stream = { description: [], items: new Map(), order: [] };
  let current: RawItem | undefined;
  let inInline = false;
  for (const line of lines) {
    if (/^\s*#{2,}\s/.test(line) || /^\s*<hr>\s*$/.test(line)) continue;
    const item = ITEM.exec(line);
    if (item) {
      const head = parseItemHead(item[3]);
      const existing = stream.items.get(item[2]);
      current = existing ?? { path: item[2], text: [], inlineText: [], ...head };
      if (!existing) { stream.items.set(item[2], current); stream.order.push(item[2]); }
      inInline = false;
      continue;
    }
    const inline = INLINE_TYPE.exec(line);
    if (inline && current) { current.inlineName = inline[1]; inInline = true; continue; }
    if (!current) stream.description.push(line);
    else (inInline ? current.inlineText : current.text).push(line);
  }
  return stream;
}

/** Joins wrapped lines: no space between two Chinese characters, one space otherwise; drops emphasis and link markup. */
export function cleanText(lines: string[]): string {
  const paragraphs: string[] = [];
  let para = '';
  for (const raw of lines) {
    const line = raw.trim();
    if (!line) { if (para) paragraphs.push(para); para = ''; continue; }
    if (!para) para = line;
    else {
      const prev = para[para.length - 1];
      para += (WIDE.test(prev) && WIDE.test(line[0])) || WIDE_PUNCT.test(prev) ? line : ` ${line}`;
    }
  }
  if (para) paragraphs.push(para);
  return paragraphs.join('\n\n')
    .replace(LINK, (_, __, label: string) => label)
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/(^|[^*])\*([^*\n]+)\*/g, '$1$2')
    .replace(/\\_/g, '_')
    .trim();
}

/** A type reference "../workload-resources/pod-v1#Container" as a type id "workload-resources/pod-v1#Container". */
const typeIdOf = (target: string, page: string): string => {
  const [file, anchor] = target.split('#');
  const p = file.replace(/^\.\.\//, '').replace(/\/$/, '');
  return `${p || page}#${anchor}`;
};

const PRIMITIVE = /^(\[\])?(string|boolean|int32|int64|integer|number|double|float|byte|map\[.*)$/;

/** Parses one page into its types; `page` is its path without ".md" (e.g. "workload-resources/deployment-v1"). */
export function parsePage(page: string, text: string): { types: ApiDocType[]; kind?: { apiVersion: string; kind: string; type: string } } {
  const fm = frontMatter(text);
  const body = text.replace(/^---\n[\s\S]*?\n---\n/, '');
  // Sections by anchor, with each line tagged by stream (inside a comment = English).
  const sections: { anchor: string; title: string; en: string[]; zh: string[] }[] = [];
  // Pages of one type (common-definitions/*) have no "## Type {#Type}" heading: the page is the type.
  let section: (typeof sections)[number] | undefined = fm.kind ? { anchor: fm.kind, title: fm.kind, en: [], zh: [] } : undefined;
  if (section) sections.push(section);
  for (const seg of splitComments(body)) {
    // The English front matter kept in a comment is not a description.
    if (seg.comment && /^\s*api_metadata:/m.test(seg.text)) continue;
    for (const line of seg.text.split('\n')) {
      if (/^\s*`(apiVersion|import)[: ]/.test(line)) continue;
      const heading = ANCHOR_HEADING.exec(line);
      if (heading) {
        if (heading[2].toLowerCase() === 'operations') { section = undefined; continue; }
        if (!section || section.anchor !== heading[2]) {
          section = { anchor: heading[2], title: heading[1], en: [], zh: [] };
          sections.push(section);
        }
        continue;
      }
      if (!section) continue;
      (seg.comment ? section.en : section.zh).push(line);
    }
  }

  const types: ApiDocType[] = [];
  const seen = new Set<string>();
  for (const s of sections) {
    if (s.en.length === 0 && s.zh.every((l) => !l.trim())) continue;
    const en = parseStream(s.en);
    const zh = parseStream(s.zh);
    const paths = [...new Set([...en.order, ...zh.order])];
    const merged = new Map<string, { en?: RawItem; zh?: RawItem }>();
    for (const p of paths) {
      let e = en.items.get(p);
      let z = zh.items.get(p);
      // An item outside comments written in English is an untranslated field.
      if (z && !e && !CJK.test(z.text.join(''))) { e = z; z = undefined; }
      merged.set(p, { en: e, zh: z });
    }
    const typeId = `${page}#${s.anchor}`;
    const children = (prefix: string) => paths.filter((p) => p.startsWith(prefix) && !p.slice(prefix.length).includes('.'));
    const build = (id: string, name: string, prefix: string, desc: { en?: string; zh?: string }): void => {
      if (seen.has(id)) return;
      seen.add(id);
      const fields: ApiDocField[] = [];
      for (const p of children(prefix)) {
        const { en: e, zh: z } = merged.get(p)!;
        const head = e ?? z!;
        const nested = paths.some((q) => q.startsWith(`${p}.`));
        let ref: string | undefined;
        const inlineName = e?.inlineName ?? z?.inlineName;
        if (nested) {
          ref = `${page}#${inlineName ?? `${s.anchor}.${p}`}`;
          build(ref, inlineName ?? `${s.anchor}.${p}`, `${p}.`, { en: e ? cleanText(e.inlineText) || undefined : undefined, zh: z ? cleanText(z.inlineText) || undefined : undefined });
        } else if (head.refTarget) {
          ref = typeIdOf(head.refTarget, page);
        } else if (head.type && !PRIMITIVE.test(head.type)) {
          // A named type described inline elsewhere on the page (Time, IntOrString…).
          ref = `${page}#${head.type.replace(/^\[\]/, '')}`;
        }
        const enText = e ? cleanText(e.text) : '';
        const zhText = z ? cleanText(z.text) : '';
        fields.push({
          name: p.slice(prefix.length),
          type: head.type ?? (head.fixed !== undefined ? 'string' : undefined),
          ...(ref ? { ref } : {}),
          required: !!(e?.required || z?.required),
          ...(head.fixed !== undefined ? { fixed: head.fixed } : {}),
          ...(enText ? { en: enText } : {}),
          ...(zhText && CJK.test(zhText) ? { zh: zhText } : {}),
        });
        // Named inline types without nested fields (Time, IntOrString) still carry a description.
        if (!nested && inlineName && !seen.has(`${page}#${inlineName}`)) {
          seen.add(`${page}#${inlineName}`);
          const ie = e ? cleanText(e.inlineText) : '';
          const iz = z ? cleanText(z.inlineText) : '';
          types.push({ id: `${page}#${inlineName}`, name: inlineName, page, description: { ...(ie ? { en: ie } : {}), ...(iz && CJK.test(iz) ? { zh: iz } : {}) }, fields: [] });
        }
      }
      types.push({ id, name, page, description: desc, fields });
    };
    const enDesc = cleanText(en.description);
    const zhDesc = cleanText(zh.description);
    build(typeId, s.anchor, '', { ...(enDesc ? { en: enDesc } : {}), ...(zhDesc && CJK.test(zhDesc) ? { zh: zhDesc } : {}) });
  }
  const kindType = fm.kind ? types.find((t) => t.id === `${page}#${fm.kind}`) : undefined;
  return { types, kind: fm.kind && fm.apiVersion && kindType ? { apiVersion: fm.apiVersion, kind: fm.kind, type: kindType.id } : undefined };
}

/** Builds the whole resource from the pages (path without ".md" → text). */
export function buildApiDocs(pages: Map<string, string>, source: ApiDocResource['source']): ApiDocResource {
  const types: Record<string, ApiDocType> = {};
  const kinds: ApiDocResource['kinds'] = {};
  for (const [page, text] of [...pages].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (page.endsWith('_index')) continue;
    const parsed = parsePage(page, text);
    for (const t of parsed.types) {
      const prior = types[t.id];
      if (!prior || prior.fields.length < t.fields.length) types[t.id] = t;
    }
    if (parsed.kind) kinds[`${parsed.kind.apiVersion}/${parsed.kind.kind}`] = { apiVersion: parsed.kind.apiVersion, kind: parsed.kind.kind, type: parsed.kind.type };
  }
  // Links to a type that has no section of its own (e.g. an anchor to a heading of another page) stay as names only.
  for (const t of Object.values(types)) for (const f of t.fields) if (f.ref && !types[f.ref]) delete f.ref;
  return { source, kinds, types };
}
