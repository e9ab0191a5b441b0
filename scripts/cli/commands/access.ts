import { AppError } from '../../../shared/core/api/errors.js';
import { entityLabel, isLang, textOf, textsOf, translate, type Lang } from '../../../shared/core/i18n/index.js';
import type { CallOutput } from '../../../shared/core/api/contract.js';
import { parseCommandArgs, requireOption, type Command, type Io } from '../args.js';
import { withService } from '../workspace.js';

export const accessCommand: Command = {
  name: 'access',
  usage: `Usage: driftline access --workspace <file> <urn> [--json] [--lang en|zh-CN]
       driftline access --workspace <file> --principal <name> [--json] [--lang en|zh-CN]

For a field (mysql://shop-db/shop/users#email) or a dataset (its PII fields): every principal that
can read it — database accounts, Kafka principals, AWS principals, and the Kubernetes subjects and
workloads that hold their credentials — with the chain of evidence hop by hop; the principals a
deny rule stops; and why the answer may be incomplete. --principal lists the PII fields a
principal (report@%, User:etl, ServiceAccount:shop/reporting) can read.
--json prints the answers as JSON (see shared/core/access/schema.ts). --lang zh-CN says the answers,
the evidence hop by hop and the restrictions in Simplified Chinese.
`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('access', argv, { workspace: { type: 'string' }, principal: { type: 'string' }, json: { type: 'boolean' }, lang: { type: 'string' } });
    const lang = values.lang ?? 'en';
    if (!isLang(lang)) throw new AppError('INVALID_INPUT', `driftline access: --lang must be en or zh-CN, not "${lang}"`);
    const workspace = requireOption('access', values.workspace, 'workspace');
    const principal = values.principal as string | undefined;
    const urn = positionals[0];
    if (!principal === !urn) throw new AppError('INVALID_INPUT', 'driftline access: give a <urn> or --principal <name>, not both. See "driftline access --help".');
    return withService(workspace, async (service) => {
      if (principal) {
        const list = await service.handlers['access:principal']({ principal });
        if (values.json) {
          io.out(JSON.stringify(list, null, 2) + '\n');
          return 0;
        }
        io.out(translate(lang, 'access.cli.principalHeader', { principal, count: list.length }) + '\n');
        for (const item of list) {
          const conditions = textsOf(item.entry.conditions, item.entry.conditionPhrases, lang);
          io.out(`  ${item.field} [${item.entities.map((e) => entityLabel(e, lang)).join(', ')}]${conditions.length ? paren(conditions.join(SEPARATOR[lang]), lang) : ''}\n`);
          for (const hop of item.entry.chain) io.out(`      ${textOf(hop.text, hop.phrase, lang)}\n`);
        }
        return 0;
      }
      const answers = await service.handlers['access:field']({ urn });
      if (values.json) {
        io.out(JSON.stringify(answers, null, 2) + '\n');
        return 0;
      }
      if (answers.length === 0) io.out(`${urn}: ${translate(lang, 'access.noFields')}\n`);
      for (const a of answers) printAnswer(io, a, lang);
      return 0;
    }, { readOnly: true });
  },
};

/** How a list of restrictions is joined in each language. */
const SEPARATOR: Record<Lang, string> = { en: '; ', 'zh-CN': '；' };
/** A parenthesis in each language's punctuation. */
const paren = (text: string, lang: Lang): string => (lang === 'zh-CN' ? `（${text}）` : ` (${text})`);

function printAnswer(io: Io, a: CallOutput<'access:field'>[number], lang: Lang): void {
  io.out(translate(lang, 'access.cli.header', { urn: a.urn, entities: a.entities.map((e) => entityLabel(e, lang)).join(', ') || '-', count: new Set(a.readers.map((r) => r.principal)).size }) + '\n');
  for (const r of a.readers) {
    const conditions = textsOf(r.conditions, r.conditionPhrases, lang);
    io.out(`  ${r.principal}${r.everyone ? paren(translate(lang, 'access.everyone'), lang) : ''} — ${translate(lang, `access.via.${r.via}`)}${conditions.length ? paren(conditions.join(SEPARATOR[lang]), lang) : ''}\n`);
    for (const hop of r.chain) io.out(`      ${textOf(hop.text, hop.phrase, lang)}\n`);
  }
  if (a.denied.length) io.out(`  ${translate(lang, 'access.denied', { names: a.denied.map((d) => d.principal).join(', ') })}\n`);
  for (const u of a.unknown) io.out(`  ${translate(lang, 'access.unknownReaders', { reason: textOf(u.reason, u.phrase, lang) })}\n`);
}
