import { createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { describeMarkdown, type SchemaDoc } from '../../core/explain/schema-doc.js';
import { translate, type MessageKey } from '../../core/i18n/index.js';
import { COLORS, ReportWriter } from '../report/pdf-writer.js';

const value = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));
/** Markdown marks of a description (code spans, the quoted English) as plain PDF text. */
const plain = (s: string): string => s.replace(/`([^`]*)`/g, '$1').replace(/^> /gm, '').replace(/(?<!\n)\n(?!\n)/g, ' ');

/**
 * The schema document as a PDF, with the report's page layout and its embedded CJK font (Chinese
 * prints as text, not boxes). Written aside and renamed, so the file appears only when complete.
 */
export async function writeSchemaDocPdf(doc: SchemaDoc, out: string): Promise<{ path: string; pages: number; bytes: number }> {
  const t = (key: MessageKey, params?: Record<string, string | number>) => translate(doc.lang, key, params);
  const title = t('explain.doc.title', { kind: doc.kind, group: doc.group || 'core', version: doc.version });
  // The report's page furniture, with this document's title in the footer.
  const w = new ReportWriter(doc.lang, title, { footer: `Driftline · ${doc.kind}` });
  const tmp = `${out}.partial-${process.pid}`;
  const stream = createWriteStream(tmp);
  w.doc.pipe(stream);
  try {
    w.doc.font('bold').fontSize(20).fillColor(COLORS.accent).text(title, w.margin, w.margin + 20, { width: w.width });
    w.doc.moveDown(0.6);
    w.paragraph(t('explain.doc.intro'), { color: COLORS.muted });
    w.subheading(t('explain.doc.overview'));
    w.keyValues([
      [t('explain.doc.group'), doc.group || 'core'], [t('explain.doc.versionLabel'), doc.version],
      ...(doc.scope ? [[t('explain.doc.scope'), doc.scope] as [string, string]] : []),
      ...(doc.plural ? [[t('explain.doc.plural'), doc.plural] as [string, string]] : []),
    ]);
    w.paragraph(plain(describeMarkdown(doc.description, doc.lang)));
    w.paragraph(t('explain.doc.coverage', doc.coverage), { color: COLORS.muted, size: 8.5 });

    w.section(t('explain.doc.tree'));
    w.paragraph(doc.fields.map((f) => `${'\u2003'.repeat(f.depth)}${f.path.split('.').pop()}  <${f.type ?? '?'}>${f.required ? ` (${t('explain.label.required')})` : ''}${f.coreType ? `  [${f.coreType}]` : ''}`).join('\n'), { size: 8 });

    w.section(t('explain.doc.details'));
    w.table(
      [{ header: t('explain.label.field'), weight: 3, maxLines: 4 }, { header: t('explain.doc.type'), weight: 1.6, maxLines: 3 }, { header: `${t('explain.label.required')} / ${t('explain.label.default')} / ${t('explain.label.enum')}`, weight: 2, maxLines: 6 }, { header: t('explain.label.description'), weight: 6, maxLines: 14 }],
      doc.fields.map((f) => [
        f.path,
        `${f.type ?? '?'}${f.coreType ? `\n${t('explain.doc.coreType', { type: f.coreType })}` : ''}`,
        [f.required ? t('explain.label.required') : '', f.default !== undefined ? `${t('explain.label.default')}: ${value(f.default)}` : '', f.enum?.length ? `${t('explain.label.enum')}: ${f.enum.map(value).join(', ')}` : '', ...f.limits.map(plain)].filter(Boolean).join('\n') || '—',
        plain(describeMarkdown(f.description, doc.lang)),
      ]),
    );

    w.section(t('explain.doc.validations'));
    if (doc.validations.length === 0) w.paragraph(t('explain.doc.noValidations'));
    else w.table(
      [{ header: t('explain.doc.at'), weight: 2.2, maxLines: 3 }, { header: t('explain.doc.rule'), weight: 3.4, maxLines: 6 }, { header: t('explain.doc.meaning'), weight: 3, maxLines: 6 }, { header: t('explain.doc.message'), weight: 3, maxLines: 6 }],
      doc.validations.map((v) => [v.at, v.rule, v.meaning, v.message ?? '—']),
    );
    if (doc.glossary.length) {
      w.subheading(t('explain.doc.glossary'));
      w.table([{ header: t('explain.doc.term'), weight: 1 }, { header: t('explain.doc.translation'), weight: 1 }], doc.glossary.map((g) => [g.term, g.zh]));
    }
    w.subheading(t('explain.doc.credit'));
    w.paragraph(t('explain.doc.creditText'), { size: 8.5 });
    const pages = w.finish();
    w.doc.end();
    await finished(stream);
    await rename(tmp, out);
    return { path: out, pages, bytes: (await stat(out)).size };
  } catch (err) {
    stream.destroy();
    await rm(tmp, { force: true });
    throw err;
  }
}
