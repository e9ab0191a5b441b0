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
const ITEM = /^(\s*)-\s+\*\*([A-Za-z0-9_.$\-[\]]+)\*\*\s*(.*)$/;
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

/**
 * Parses a section's lines (each tagged English = inside a comment, or Chinese) into the two
 * languages' descriptions and fields. Pages pair the languages in several layouts: a comment with
 * the English items followed by the Chinese items (each language has its own item headings); or one
 * item heading outside the comments, shared by both, followed by a comment with its English text
 * and then its Chinese text. So a line without a heading belongs, in its language, to the last item
 * headed in that language — unless an item headed later in the other language has no heading in
 * this language at all: then that shared heading is this text's item.
 */
function parseSection(lines: { en: boolean; text: string }[]): { en: Stream; zh: Stream } {
  const streams = { en: { description: [], items: new Map(), order: [] } as Stream, zh: { description: [], items: new Map(), order: [] } as Stream };
  const headedIn = { en: new Set<string>(), zh: new Set<string>() };
  for (const { en, text } of lines) {
    const item = ITEM.exec(text);
    if (item) headedIn[en ? 'en' : 'zh'].add(item[2]);
  }
  const current: { en?: RawItem; zh?: RawItem } = {};
  const inline = { en: false, zh: false };
  /** Where each language's last heading was, to tell which of the two came later. */
  const lastHeading: { en?: { path: string; at: number; head: ReturnType<typeof parseItemHead> }; zh?: { path: string; at: number; head: ReturnType<typeof parseItemHead> } } = {};
  const itemOf = (lang: 'en' | 'zh', path: string, head: ReturnType<typeof parseItemHead>): RawItem => {
    const stream = streams[lang];
    let item = stream.items.get(path);
    if (!item) {
      item = { path, text: [], inlineText: [], ...head };
      stream.items.set(path, item);
      stream.order.push(path);
    }
    return item;
  };
  for (const [at, { en, text: line }] of lines.entries()) {
    const lang = en ? 'en' : 'zh';
    const other = en ? 'zh' : 'en';
    if (/^\s*#{2,}\s/.test(line) || /^\s*<hr>\s*$/.test(line)) continue;
    const item = ITEM.exec(line);
    if (item) {
      const head = parseItemHead(item[3]);
      current[lang] = itemOf(lang, item[2], head);
      inline[lang] = false;
      lastHeading[lang] = { path: item[2], at, head };
      continue;
    }
    const shared = lastHeading[other];
    if (line.trim() && shared && shared.at > (lastHeading[lang]?.at ?? -1) && !headedIn[lang].has(shared.path) && current[lang]?.path !== shared.path) {
      current[lang] = itemOf(lang, shared.path, shared.head);
      inline[lang] = false;
    }
    const cur = current[lang];
    const named = INLINE_TYPE.exec(line);
    if (named && cur) { cur.inlineName = named[1]; inline[lang] = true; continue; }
    if (!cur) streams[lang].description.push(line);
    else (inline[lang] ? cur.inlineText : cur.text).push(line);
  }
  return streams;
}

/** Joins wrapped lines: no space between two Chinese characters, one space otherwise; list items keep their own lines; drops emphasis and link markup. */
export function cleanText(lines: string[]): string {
  const paragraphs: string[] = [];
  let para = '';
  for (const raw of lines) {
    const line = raw.trim();
    if (!line) { if (para) paragraphs.push(para); para = ''; continue; }
    if (!para) para = line;
    // A list item starts a line of its own, so "- `Equal` …" entries stay one per line.
    else if (/^[-*]\s/.test(line) && !/^\*\*/.test(line)) para += `\n${line}`;
    else {
      const prev = para[para.length - 1];
      para += (WIDE.test(prev) && WIDE.test(line[0])) || WIDE_PUNCT.test(prev) ? line : ` ${line}`;
    }
  }
  if (para) paragraphs.push(para);
  return paragraphs.join('\n\n')
    .replace(/\[\*\]/g, '[\u0000]')
    .replace(LINK, (_, __, label: string) => label)
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/(^|[^*])\*([^*\n]+)\*/g, '$1$2')
    .replace(/\\_/g, '_')
    .replace(/\[\u0000\]/g, '[*]')
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
  const sections: { anchor: string; title: string; lines: { en: boolean; text: string }[] }[] = [];
  // Pages of one type (common-definitions/*) have no "## Type {#Type}" heading: the page is the type.
  let section: (typeof sections)[number] | undefined = fm.kind ? { anchor: fm.kind, title: fm.kind, lines: [] } : undefined;
  if (section) sections.push(section);
  for (const seg of splitComments(body)) {
    // The English front matter kept in a comment is not a description.
    if (seg.comment && /^\s*api_metadata:/m.test(seg.text)) continue;
    // Nor is the generator's note to the page's editors.
    if (seg.comment && /auto-generated from the Go source code/.test(seg.text)) continue;
    for (const line of seg.text.split('\n')) {
      if (/^\s*`(apiVersion|import)[: ]/.test(line)) continue;
      const heading = ANCHOR_HEADING.exec(line);
      if (heading) {
        if (heading[2].toLowerCase() === 'operations') { section = undefined; continue; }
        if (!section || section.anchor !== heading[2]) {
          section = { anchor: heading[2], title: heading[1], lines: [] };
          sections.push(section);
        }
        continue;
      }
      if (!section) continue;
      section.lines.push({ en: seg.comment, text: line });
    }
  }

  const types: ApiDocType[] = [];
  const seen = new Set<string>();
  for (const s of sections) {
    if (s.lines.every((l) => !l.text.trim())) continue;
    const { en, zh } = parseSection(s.lines);
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
