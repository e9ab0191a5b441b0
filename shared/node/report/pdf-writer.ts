import PDFDocument from 'pdfkit';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../core/api/errors.js';
import { translate, type MessageKey } from '../../core/i18n/catalogue.js';
import type { Lang, MessageParams } from '../../core/i18n/format.js';

/**
 * Noto Sans SC from @embedpdf/fonts-sc. Its package `exports` block require.resolve, so the files are
 * found by path. One CJK font for every string, labels and values alike: a Chinese name in an English
 * report must not print as empty boxes, and pdfkit embeds only the glyphs used (subset).
 */
function fontPath(weight: 'Regular' | 'Bold'): string {
  const file = `NotoSansHans-${weight}.otf`;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'node_modules', '@embedpdf', 'fonts-sc', 'fonts', file);
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) throw new AppError('INTERNAL', `the report font ${file} (npm package @embedpdf/fonts-sc) is not installed; run npm install`);
    dir = up;
  }
}

export const COLORS = {
  text: '#1f2933', muted: '#616e7c', rule: '#cbd2d9', headerFill: '#e4e7eb', zebra: '#f5f7fa', accent: '#1f4e79',
  severity: { critical: '#8e1b1b', high: '#c0392b', medium: '#b9770e', low: '#2471a3', info: '#616e7c' } as Record<string, string>,
};

export interface TableColumn {
  header: string;
  /** Relative width; columns share the text width in proportion. */
  weight: number;
  align?: 'left' | 'right' | 'center';
  /** Kept for callers; cells are never cut: a long value wraps onto as many lines as it needs. */
  maxLines?: number;
}

export interface TableOptions {
  fontSize?: number;
  /** A text colour for one cell (e.g. severity). */
  color?: (row: number, col: number) => string | undefined;
}

interface TocEntry { title: string; page: number }

/**
 * pdfkit with the report's conventions: A4, the CJK font, headings that feed the table of contents,
 * tables that break across pages with their header repeated, and "Page N of M" on every page
 * (pages are buffered so the total is known at the end).
 */
export class ReportWriter {
  readonly doc: PDFKit.PDFDocument;
  readonly margin = 48;
  private readonly toc: TocEntry[] = [];
  private tocPage = -1;

  /** The footer's left text: the report's name unless a document built on this writer has its own. */
  private readonly footer: string;

  constructor(readonly lang: Lang, title: string, options: { footer?: string } = {}) {
    this.footer = options.footer ?? translate(lang, 'report.footer');
    this.doc = new PDFDocument({ size: 'A4', margin: this.margin, bufferPages: true, autoFirstPage: true, info: { Title: title, Creator: 'Driftline', Producer: 'Driftline (pdfkit)' }, lang });
    this.doc.registerFont('body', fontPath('Regular'));
    this.doc.registerFont('bold', fontPath('Bold'));
    this.doc.font('body').fontSize(9).fillColor(COLORS.text);
  }

  /** A catalogue message (shared/core/i18n) in the report's language. */
  tr(key: MessageKey, params?: MessageParams): string {
    return translate(this.lang, key, params);
  }

  get width(): number {
    return this.doc.page.width - 2 * this.margin;
  }

  private get bottom(): number {
    return this.doc.page.height - this.margin - 14; // keep clear of the footer
  }

  get pageIndex(): number {
    return this.doc.bufferedPageRange().start + this.doc.bufferedPageRange().count - 1;
  }

  newPage(layout: 'portrait' | 'landscape' = 'portrait'): void {
    this.doc.addPage({ size: 'A4', layout, margin: this.margin });
    this.doc.font('body').fontSize(9).fillColor(COLORS.text);
  }

  /** Moves to a new page unless `height` still fits on this one. */
  ensureSpace(height: number): void {
    if (this.doc.y + height > this.bottom) this.newPage();
  }

  /** Reserves the current page for the table of contents (filled in by finish()). */
  reserveToc(): void {
    this.tocPage = this.pageIndex;
  }

  /** A section title on a fresh page, recorded for the contents and the PDF outline. */
  section(title: string, layout: 'portrait' | 'landscape' = 'portrait'): void {
    this.newPage(layout);
    this.toc.push({ title, page: this.pageIndex });
    this.doc.outline.addItem(title);
    this.doc.font('bold').fontSize(17).fillColor(COLORS.accent).text(title, this.margin, this.margin, { width: this.width });
    const y = this.doc.y + 3;
    this.doc.moveTo(this.margin, y).lineTo(this.margin + this.width, y).lineWidth(0.8).strokeColor(COLORS.accent).stroke();
    this.doc.y = y + 10;
    this.doc.font('body').fontSize(9).fillColor(COLORS.text);
  }

  subheading(text: string): void {
    this.ensureSpace(48);
    this.doc.moveDown(0.4);
    this.doc.font('bold').fontSize(11.5).fillColor(COLORS.accent).text(text, this.margin, this.doc.y, { width: this.width });
    this.doc.moveDown(0.25);
    this.doc.font('body').fontSize(9).fillColor(COLORS.text);
  }

  paragraph(text: string, options: { size?: number; color?: string; bold?: boolean } = {}): void {
    this.doc.font(options.bold ? 'bold' : 'body').fontSize(options.size ?? 9).fillColor(options.color ?? COLORS.text);
    this.ensureSpace(this.doc.heightOfString(text, { width: this.width }) > 200 ? 40 : this.doc.heightOfString(text, { width: this.width }));
    this.doc.text(text, this.margin, this.doc.y, { width: this.width, lineGap: 1.5 });
    this.doc.moveDown(0.5);
    this.doc.font('body').fontSize(9).fillColor(COLORS.text);
  }

  /** Label: value lines (cover page). */
  keyValues(rows: Array<[string, string]>): void {
    const labelWidth = 175;
    for (const [k, v] of rows) {
      this.doc.font('body').fontSize(9);
      const h = Math.max(this.doc.heightOfString(v, { width: this.width - labelWidth }), 12);
      this.ensureSpace(h);
      const y = this.doc.y;
      this.doc.fillColor(COLORS.muted).text(k, this.margin, y, { width: labelWidth - 8 });
      this.doc.fillColor(COLORS.text).text(v, this.margin + labelWidth, y, { width: this.width - labelWidth });
      this.doc.y = Math.max(this.doc.y, y + h) + 3;
    }
    this.doc.moveDown(0.4);
  }

  /**
   * A table that breaks across pages cleanly: a row never splits, the header row repeats on every
   * page, and long values wrap in full (evidence is never cut).
   */
  table(columns: TableColumn[], rows: string[][], options: TableOptions = {}): void {
    const doc = this.doc;
    const size = options.fontSize ?? 8;
    const pad = 3;
    const total = columns.reduce((n, c) => n + c.weight, 0);
    const widths = columns.map((c) => (c.weight / total) * this.width);
    const xs = widths.map((_, i) => this.margin + widths.slice(0, i).reduce((a, b) => a + b, 0));
    doc.fontSize(size);
    const lineHeight = doc.font('body').currentLineHeight(true);

    const cellHeight = (text: string, i: number, font: 'body' | 'bold'): number => {
      doc.font(font).fontSize(size);
      return doc.heightOfString(text || ' ', { width: widths[i] - 2 * pad });
    };
    const drawRow = (cells: string[], font: 'body' | 'bold', fill: string | undefined, rowIndex: number): void => {
      const h = Math.max(...cells.map((c, i) => cellHeight(c, i, font))) + 2 * pad;
      if (doc.y + h > this.bottom) {
        this.newPage();
        if (font === 'body') drawHeader();
      }
      const y = doc.y;
      if (fill) doc.rect(this.margin, y, this.width, h).fill(fill);
      cells.forEach((c, i) => {
        doc.font(font).fontSize(size).fillColor((font === 'body' && options.color?.(rowIndex, i)) || COLORS.text);
        doc.text(c || ' ', xs[i] + pad, y + pad, { width: widths[i] - 2 * pad, align: columns[i].align ?? 'left' });
      });
      doc.moveTo(this.margin, y + h).lineTo(this.margin + this.width, y + h).lineWidth(0.3).strokeColor(COLORS.rule).stroke();
      doc.x = this.margin;
      doc.y = y + h;
    };
    const drawHeader = (): void => drawRow(columns.map((c) => c.header), 'bold', COLORS.headerFill, -1);

    // Header plus the first row must fit, or the header would sit alone at the foot of a page.
    this.ensureSpace(4 * lineHeight + 4 * pad);
    drawHeader();
    rows.forEach((r, i) => drawRow(r, 'body', i % 2 ? COLORS.zebra : undefined, i));
    doc.font('body').fontSize(9).fillColor(COLORS.text);
    doc.moveDown(0.6);
  }

  /** Writes the contents page and the page footers; returns the page count. */
  finish(): number {
    const doc = this.doc;
    const { start, count } = doc.bufferedPageRange();
    if (this.tocPage >= 0) {
      doc.switchToPage(this.tocPage);
      doc.font('bold').fontSize(17).fillColor(COLORS.accent).text(this.tr('report.section.toc'), this.margin, this.margin, { width: this.width });
      let y = doc.y + 14;
      for (const e of this.toc) {
        const num = String(e.page + 1);
        doc.font('body').fontSize(11).fillColor(COLORS.text);
        const numWidth = doc.widthOfString(num);
        const titleWidth = doc.widthOfString(e.title);
        doc.text(e.title, this.margin, y, { lineBreak: false });
        doc.text(num, this.margin + this.width - numWidth, y, { lineBreak: false });
        // Dotted leader between the title and its page number.
        doc.moveTo(this.margin + titleWidth + 6, y + 11).lineTo(this.margin + this.width - numWidth - 6, y + 11).dash(1, { space: 3 }).lineWidth(0.6).strokeColor(COLORS.muted).stroke().undash();
        y += 22;
      }
    }
    for (let i = start; i < start + count; i++) {
      doc.switchToPage(i);
      const page = doc.page;
      const savedBottom = page.margins.bottom;
      page.margins.bottom = 0; // writing inside the bottom margin must not add a page
      const y = page.height - this.margin + 14;
      doc.font('body').fontSize(7.5).fillColor(COLORS.muted);
      doc.text(this.footer, this.margin, y, { width: page.width / 2 - this.margin, lineBreak: false });
      doc.text(this.tr('report.page', { n: i - start + 1, total: count }), page.width / 2, y, { width: page.width / 2 - this.margin, align: 'right', lineBreak: false });
      page.margins.bottom = savedBottom;
    }
    return count;
  }
}
