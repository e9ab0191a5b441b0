import type { ApiDocResource, ApiDocType } from './api-docs.js';

/**
 * Finds the official Chinese for English text of a schema — never invents it. Two ways:
 * - by English description: a description identical (after normalising whitespace and markup)
 *   to one in the reference is the same text, so its official translation applies;
 * - by structure: an object whose field names are those of a core type (a CRD embedding
 *   ResourceRequirements, LabelSelector, Condition…) is that type, and each field whose English
 *   matches the core field's (whole text, or its first sentence when the author's copy is of
 *   another Kubernetes version) takes that field's translation.
 */
export interface Translation {
  zh: string;
  /** 'exact': the English is the reference's; 'first-sentence': only its first sentence matches (both are shown). */
  match: 'exact' | 'first-sentence';
  /** Where the translation comes from, e.g. "LabelSelector.matchLabels". */
  from: string;
}

const norm = (text: string): string => text
  .replace(/<[^>]+>/g, ' ')
  .replace(/[`*"“”'‘’]/g, '')
  .replace(/https?:\/\/\S+/g, (url) => url.replace(/\/zh-cn\//, '/').replace(/[.,)]+$/, ''))
  .replace(/\s+/g, ' ')
  .trim()
  .replace(/[.。]$/, '')
  .toLowerCase();

const firstSentence = (text: string): string => norm(text).split(/(?<=[a-z0-9)])\. /)[0];

export class ReferenceTranslator {
  private readonly byText = new Map<string, { zh: string; from: string }>();
  private readonly byFieldName = new Map<string, ApiDocType[]>();

  constructor(readonly docs: ApiDocResource) {
    for (const type of Object.values(docs.types)) {
      if (type.description.en && type.description.zh) this.remember(type.description.en, type.description.zh, type.name);
      for (const field of type.fields) {
        if (field.en && field.zh) this.remember(field.en, field.zh, `${type.name}.${field.name}`);
        (this.byFieldName.get(field.name) ?? this.byFieldName.set(field.name, []).get(field.name)!).push(type);
      }
    }
  }

  private remember(en: string, zh: string, from: string): void {
    const key = norm(en);
    // Short texts ("Name of the resource.") are too generic to say whose translation they are.
    if (key.length < 20 || this.byText.has(key)) return;
    this.byText.set(key, { zh, from });
  }

  /** The official Chinese of a text the reference contains word for word, if any. */
  byDescription(en: string | undefined): Translation | undefined {
    if (!en) return undefined;
    const hit = this.byText.get(norm(en));
    return hit ? { zh: hit.zh, match: 'exact', from: hit.from } : undefined;
  }

  /**
   * The core type an object schema embeds, judged by its field names (at least two shared, and
   * most of both sides) and, to choose between look-alikes, by how many descriptions agree.
   */
  matchType(properties: Record<string, { description?: string }> | undefined, description?: string): ApiDocType | undefined {
    const names = Object.keys(properties ?? {});
    if (names.length < 2) return undefined;
    const candidates = new Set<ApiDocType>();
    for (const n of names) for (const t of this.byFieldName.get(n) ?? []) candidates.add(t);
    let best: { type: ApiDocType; score: number } | undefined;
    for (const type of candidates) {
      const fields = new Set(type.fields.filter((f) => f.fixed === undefined).map((f) => f.name));
      const shared = names.filter((n) => fields.has(n)).length;
      const jaccard = shared / (names.length + fields.size - shared);
      if (shared < 2 || jaccard < 0.6) continue;
      const agreeing = names.filter((n) => {
        const f = type.fields.find((x) => x.name === n);
        return f?.en && properties![n].description && firstSentence(f.en) === firstSentence(properties![n].description!);
      }).length;
      const described = description && type.description.en && firstSentence(type.description.en) === firstSentence(description) ? 1 : 0;
      const score = jaccard + agreeing / names.length + described;
      if (!best || score > best.score || (score === best.score && type.id < best.type.id)) best = { type, score };
    }
    return best && best.score >= 1 ? best.type : undefined;
  }

  /** A field of a matched core type: its translation when the author's English is the reference's. */
  byField(type: ApiDocType, field: string, en: string | undefined): Translation | undefined {
    const f = type.fields.find((x) => x.name === field);
    if (!f?.zh || !f.en || !en) return undefined;
    if (norm(f.en) === norm(en)) return { zh: f.zh, match: 'exact', from: `${type.name}.${field}` };
    if (firstSentence(f.en) === firstSentence(en)) return { zh: f.zh, match: 'first-sentence', from: `${type.name}.${field}` };
    return undefined;
  }
}
