/**
 * The PII evaluation set: public, third-party data nobody here wrote, labelled by hand.
 * - columns of four public sample databases (sakila, classicmodels, northwind, macrozheng/mall),
 *   labelled in labels.yaml beside this file, classified as a source would classify them;
 * - standards' test vectors as single values: the IBAN registry's sample numbers and broken ones
 *   (python-stdnum's tests), GB 11643 resident IDs valid and invalid (python-stdnum), and payment card
 *   numbers valid and invalid (braintree/card-validator's tests).
 * The files sit in testdata/third-party/pii-eval (SOURCE.md there: repository, commit, license of each).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { LabelledColumn, LabelledValue } from '../../../shared/core/pii/evaluate.js';
import { thirdPartyData } from '../corpora.js';
import { parseCsv } from './csv.js';
import { columnValues, parseDump, type Dialect, type DumpTable } from './sql-dump.js';

/** Values classified per column: what a source's bounded sample would hand the classifier. */
export const SAMPLE_PER_COLUMN = 1000;

/** A labelled dataset: SQL dumps (tables as they define them) or one CSV file (one table, named by `table`). */
interface DatasetSpec {
  files: string[];
  dialect: Dialect | 'csv';
  region?: string;
  /** CSV only: the table's name in column ids (`openflights.airports.Latitude`). */
  table?: string;
  /** CSV only: column names of a file without a header line, as its publisher documents them. */
  header?: string[];
  /** CSV only: the field text that means NULL. */
  nullToken?: string;
}

interface LabelsFile {
  datasets: Record<string, DatasetSpec>;
  columns: Record<string, string | null>;
}

/** A dataset's tables, read from its files under `dir`. */
function loadTables(dir: string, name: string, spec: DatasetSpec): Map<string, DumpTable> {
  if (spec.dialect !== 'csv') return parseDump(spec.files.map((f) => readFileSync(join(dir, f), 'utf8')).join('\n'), spec.dialect);
  if (spec.files.length !== 1 || !spec.table) throw new Error(`labels.yaml: CSV dataset ${name} needs one file and a table name`);
  return new Map([[spec.table, parseCsv(readFileSync(join(dir, spec.files[0]), 'utf8'), { header: spec.header, nullToken: spec.nullToken })]]);
}

/** The folder holding the evaluation data; a clear error naming where it was looked for. */
export function evalDataDir(): string {
  const dir = thirdPartyData('pii-eval');
  if (!existsSync(join(dir, 'SOURCE.md'))) throw new Error(`the PII evaluation data was not found in ${dir}: it is part of the repository (testdata/third-party/pii-eval); restore it with git checkout`);
  return dir;
}

/** Every labelled column of the sample databases, with up to SAMPLE_PER_COLUMN values each. */
export function loadLabelledColumns(dir = evalDataDir()): LabelledColumn[] {
  const labels = parseYaml(readFileSync(join(import.meta.dirname, 'labels.yaml'), 'utf8')) as LabelsFile;
  const dumps = new Map<string, Map<string, DumpTable>>();
  const out: LabelledColumn[] = [];
  for (const [id, label] of Object.entries(labels.columns)) {
    const [dataset, table, column] = id.split('.');
    const spec = labels.datasets[dataset];
    if (!spec) throw new Error(`labels.yaml: ${id} names an unknown dataset`);
    let tables = dumps.get(dataset);
    if (!tables) dumps.set(dataset, (tables = loadTables(dir, dataset, spec)));
    const t = tables.get(table);
    if (!t) throw new Error(`labels.yaml: ${id}: no table ${table} in ${dataset}`);
    const values = columnValues(t, column).slice(0, SAMPLE_PER_COLUMN);
    out.push({ id, values, fieldName: column, container: table, region: spec.region, label });
  }
  return out;
}

/** Lines of the python-stdnum doctest blocks `>>> numbers = '''…'''`, with the check line that follows each. */
function doctestBlocks(text: string): { numbers: string[]; check: string }[] {
  const blocks: { numbers: string[]; check: string }[] = [];
  const re = />>> numbers = '''\n([\s\S]*?)\.\.\. '''\n(>>> [^\n]*)/g;
  for (const m of text.matchAll(re)) {
    const numbers = m[1].split('\n').map((l) => l.replace(/^\.\.\. ?/, '').trim()).filter((l) => l.length > 0);
    blocks.push({ numbers, check: m[2] });
  }
  return blocks;
}

/** IBAN registry samples (valid) and python-stdnum's broken, mis-sized and country-invalid ones (decoys). */
function ibanVectors(dir: string): { value: string; label: string | null }[] {
  const text = readFileSync(join(dir, 'python-stdnum', 'test_iban.doctest'), 'utf8');
  return doctestBlocks(text).flatMap(({ numbers, check }) => {
    // `[x … if x and not iban.is_valid(x)]` expecting [] lists valid numbers; `if x and iban.is_valid(x)` invalid ones.
    const valid = /not iban\.is_valid\(x\)\s*\]$/.test(check);
    return numbers.map((value) => ({ value, label: valid ? 'IBAN' : null }));
  });
}

/** GB 11643 numbers python-stdnum validates (`ric.validate('…')` answered by the number) or rejects (a Traceback). */
function residentIdVectors(dir: string): { value: string; label: string | null }[] {
  const lines = readFileSync(join(dir, 'python-stdnum', 'test_cn_ric.doctest'), 'utf8').split('\n');
  const out: { value: string; label: string | null }[] = [];
  lines.forEach((line, i) => {
    const m = /^>>> ric\.validate\('([^']+)'\)/.exec(line);
    if (m) out.push({ value: m[1], label: lines[i + 1]?.startsWith('Traceback') ? null : 'CN_RESIDENT_ID' });
  });
  return out;
}

/** Card numbers braintree/card-validator's tests call valid (BANK_CARD) or invalid (decoys), 12 digits or more. */
function cardVectors(dir: string): { value: string; label: string | null }[] {
  const text = readFileSync(join(dir, 'card-validator', 'card-number.test.ts'), 'utf8');
  const seen = new Map<string, string | null>();
  for (const m of text.matchAll(/\[\s*"([0-9 -]{12,23})",\s*\{[^}]*?isValid:\s*(true|false)/g)) {
    if (!seen.has(m[1])) seen.set(m[1], m[2] === 'true' ? 'BANK_CARD' : null);
  }
  return [...seen].map(([value, label]) => ({ value, label }));
}

/**
 * The test vectors as single values, each twice: in a field named for it (`iban`, `id_card`,
 * `card_number`) and in one that says nothing (`value`).
 */
export function loadTestVectors(dir = evalDataDir()): LabelledValue[] {
  const sets: [string, { value: string; label: string | null }[]][] = [
    ['iban', ibanVectors(dir)],
    ['id_card', residentIdVectors(dir)],
    ['card_number', cardVectors(dir)],
  ];
  return sets.flatMap(([field, items]) => items.flatMap((it) => [{ ...it, fieldName: field }, { ...it, fieldName: 'value' }]));
}

/**
 * Every column of every table of the sample databases (first SAMPLE_PER_COLUMN rows), labelled or
 * not: the byte mix a scan of these databases meets, free text (descriptions, notes, HTML) included.
 */
export function loadAllColumns(dir = evalDataDir()): { fieldName: string; container: string; values: (string | null)[] }[] {
  const labels = parseYaml(readFileSync(join(import.meta.dirname, 'labels.yaml'), 'utf8')) as LabelsFile;
  const out: { fieldName: string; container: string; values: (string | null)[] }[] = [];
  // The SQL databases only: the mix the bench has always measured (the CSV datasets are labelled columns, not a scan).
  for (const spec of Object.values(labels.datasets)) {
    if (spec.dialect === 'csv') continue;
    const tables = parseDump(spec.files.map((f) => readFileSync(join(dir, f), 'utf8')).join('\n'), spec.dialect);
    for (const [name, t] of tables) for (const column of t.columns) out.push({ fieldName: column, container: name, values: columnValues(t, column).slice(0, SAMPLE_PER_COLUMN) });
  }
  return out;
}
