import type { SchemaDoc } from '../../core/explain/schema-doc.js';

/**
 * Writes a schema document as PDF (`driftline explain --doc --out F.pdf`). The PDF stack (pdfkit,
 * the CJK font) is imported only here, when a PDF is written, so no command loads it before.
 */
export async function writeSchemaDocPdf(doc: SchemaDoc, out: string): Promise<{ path: string; pages: number; bytes: number }> {
  return (await import('../explain/schema-doc-pdf.js')).writeSchemaDocPdf(doc, out);
}
