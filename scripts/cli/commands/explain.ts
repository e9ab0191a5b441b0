import { writeFileSync } from 'node:fs';
import { AppError } from '../../../shared/core/api/errors.js';
import type { ExplanationOutput } from '../../../shared/core/api/contract.js';
import { schemaDocMarkdown } from '../../../shared/core/explain/schema-doc.js';
import { isLang, translate, type Lang } from '../../../shared/core/i18n/index.js';
import { schemaDocument, writeSchemaDocPdf } from '../../../shared/node/services/index.js';
import { parseCommandArgs, requireOption, requirePositional, type Command } from '../args.js';
import { withService, withStore } from '../workspace.js';

type Field = ExplanationOutput['fields'][number];

/** A description with its English kept when it is shown in another language or has no translation. */
function describe(d: { description?: string; descriptionEn?: string; translation?: string }, lang: Lang, indent: string): string {
  if (!d.description) return `${indent}—`;
  const lines = [`${indent}${d.description.replace(/\n+/g, `\n${indent}`)}`];
  if (lang !== 'en' && d.translation === 'none') lines.push(`${indent}${translate(lang, 'explain.label.englishOnly')}`);
  if (lang !== 'en' && d.translation === 'first-sentence' && d.descriptionEn) lines.push(`${indent}(${d.descriptionEn})`);
  return lines.join('\n');
}

function render(e: ExplanationOutput, lang: Lang): string {
  const t = (k: Parameters<typeof translate>[1]) => translate(lang, k);
  const out: string[] = [`${t('explain.label.kind')}:  ${e.kind}`];
  if (e.apiVersion) out.push(`${t('explain.label.version')}:  ${e.apiVersion}`);
  if (e.path) out.push(`${t('explain.label.field')}: ${e.path}${e.type ? ` <${e.type}>` : ''}${e.required ? ` (${t('explain.label.required')})` : ''}`);
  out.push('', `${t('explain.label.description')}:`, describe(e, lang, '  '));
  if (e.default !== undefined) out.push(`  ${t('explain.label.default')}: ${JSON.stringify(e.default)}`);
  if (e.enum?.length) out.push(`  ${t('explain.label.enum')}: ${e.enum.map((v) => JSON.stringify(v)).join(', ')}`);
  if (e.fields.length) {
    out.push('', `${t('explain.label.fields')}:`);
    for (const f of e.fields as Field[]) {
      out.push(`  ${f.name}\t<${f.type ?? '?'}>${f.required ? ` -${t('explain.label.required')}-` : ''}${f.coreType ? `  [${f.coreType}]` : ''}`);
      out.push(describe(f, lang, '    '));
    }
  }
  if (e.validations.length) {
    out.push('', `${t('explain.label.validations')}:`);
    for (const v of e.validations) out.push(`  ${v.rule}\n    ${v.meaning}${v.message ? `\n    ${v.message}` : ''}`);
  }
  out.push('', translate(lang, e.source === 'reference' ? 'explain.label.source.reference' : 'explain.label.source.schema', { source: e.apiVersion ?? e.kind }));
  return out.join('\n') + '\n';
}

export const explainCommand: Command = {
  name: 'explain',
  usage: `Usage: driftline explain --workspace <file> <kind> [field.path] [--lang en|zh-CN] [--json]
       driftline explain --workspace <file> <kind> --doc --out <file.md|file.pdf> [--lang en|zh-CN]

Like "kubectl explain", but offline: custom kinds from the CRD schemas captured during scans, core
kinds from the API server's OpenAPI if it was captured, else from the official Kubernetes API
reference built into Driftline (English with its official Simplified Chinese translation).
Chinese is shown only where an official translation exists; otherwise the author's English is kept.
--doc writes the whole schema of a custom kind: field tree, types, required fields, defaults,
enums, CEL validation rules and what they require, a glossary, and the sources.
Example: driftline explain --workspace w.driftline Deployment spec.replicas --lang zh-CN
`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('explain', argv, { workspace: { type: 'string' }, json: { type: 'boolean' }, lang: { type: 'string' }, doc: { type: 'boolean' }, out: { type: 'string' } });
    const kind = requirePositional('explain', positionals, 0, '<kind>');
    const lang = (values.lang ?? 'en') as string;
    if (!isLang(lang)) throw new AppError('INVALID_INPUT', `driftline explain: --lang must be en or zh-CN, not "${lang}"`);
    const workspace = requireOption('explain', values.workspace, 'workspace');
    if (values.doc) {
      const out = requireOption('explain', values.out, 'out');
      if (!/\.(md|pdf)$/i.test(out)) throw new AppError('INVALID_INPUT', `driftline explain --doc: --out must end in .md or .pdf, not "${out}"`);
      return withStore(workspace, async (store) => {
        const doc = schemaDocument(store, kind, lang);
        if (/\.pdf$/i.test(out)) {
          const r = await writeSchemaDocPdf(doc, out);
          io.out(`${r.path}: ${r.pages} pages, ${doc.fields.length} fields, ${doc.validations.length} CEL rules, ${doc.coverage.translated}/${doc.coverage.total} descriptions in official Chinese\n`);
        } else {
          writeFileSync(out, schemaDocMarkdown(doc));
          io.out(`${out}: ${doc.fields.length} fields, ${doc.validations.length} CEL rules, ${doc.coverage.translated}/${doc.coverage.total} descriptions in official Chinese\n`);
        }
        return 0;
      }, { readOnly: true });
    }
    if (values.out) throw new AppError('INVALID_INPUT', 'driftline explain: --out goes with --doc');
    return withService(workspace, async (service) => {
      const e = await service.call('explain:get', { kind, path: positionals[1], lang });
      io.out(values.json ? JSON.stringify(e, null, 2) + '\n' : render(e, lang));
      return 0;
    }, { readOnly: true });
  },
};
