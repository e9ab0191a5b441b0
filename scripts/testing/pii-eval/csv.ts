/**
 * Reads a published CSV file (RFC 4180: quoted fields, doubled quotes, CRLF or LF) as one table of
 * column names and string values, so CSV datasets join the PII evaluation beside the SQL dumps.
 * Not a general CSV library: enough for the files in testdata/third-party/pii-eval.
 */
import type { DumpTable } from './sql-dump.js';

export interface CsvOptions {
  /** Column names of a file without a header line (named as its publisher documents them); default: the first line. */
  header?: readonly string[];
  /** A field written exactly so is a NULL (OpenFlights writes `\N`). */
  nullToken?: string;
}

/** Splits CSV text into rows of fields; a clear error on an unterminated quote. */
export function parseCsvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === '"' && field === '') {
      // A quoted field: up to the quote that is not doubled.
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) throw new Error(`CSV: unterminated quoted field from line ${rows.length + 1}`);
        field += text.slice(j, q);
        if (text[q + 1] === '"') { field += '"'; j = q + 2; continue; }
        i = q + 1;
        break;
      }
      continue;
    }
    if (c === ',') { row.push(field); field = ''; i++; continue; }
    if (c === '\n' || c === '\r') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    field += c;
    i++;
  }
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
}

/** One CSV file as a table; rows whose width differs from the header's are an error naming the line. */
export function parseCsv(text: string, options: CsvOptions = {}): DumpTable {
  const rows = parseCsvRows(text);
  const columns = options.header ? [...options.header] : rows.shift() ?? [];
  const out: (string | null)[][] = [];
  rows.forEach((r, k) => {
    if (r.length === 1 && r[0] === '') return;
    if (r.length !== columns.length) throw new Error(`CSV: line ${k + (options.header ? 1 : 2)} has ${r.length} fields, the header ${columns.length}`);
    out.push(r.map((v) => (options.nullToken !== undefined && v === options.nullToken ? null : v)));
  });
  return { columns, rows: out };
}
