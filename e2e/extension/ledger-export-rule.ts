import { defineLineageRule, type InferredEdge } from '../../shared/core/lineage/rule.js';

/**
 * A throwaway lineage rule for the one-file extension test: a ledger table whose export names
 * another table (`exportsTo`) sinks into it, and each of its columns into the same-named column
 * there (field-level hops, so PII and cross-border flows follow them).
 */
export const ledgerExportRule = defineLineageRule({
  id: 'lineage.ledger-export',
  description: 'A ledger table exported to another table (its exportsTo setting) → sinks edges, table and same-named columns',
  infer(view) {
    const out: InferredEdge[] = [];
    for (const table of view.nodes) {
      const target = table.kind === 'table' && typeof table.props.exportsTo === 'string' ? table.props.exportsTo : undefined;
      if (!target || !view.byUrn.has(target)) continue;
      const targetColumns = new Map(view.nodes.filter((n) => n.parent === target).map((n) => [n.name, n.urn]));
      const fieldMap: Record<string, string> = {};
      for (const column of view.nodes) {
        if (column.parent !== table.urn || !targetColumns.has(column.name)) continue;
        fieldMap[column.name] = column.name;
        out.push({ from: column.urn, to: targetColumns.get(column.name)!, kind: 'sinks', confidence: 0.9, evidence: { rule: 'lineage.ledger-export', detail: `ledger export of ${table.name} writes ${column.name} into ${target}` } });
      }
      out.push({ from: table.urn, to: target, kind: 'sinks', confidence: 0.9, evidence: { rule: 'lineage.ledger-export', detail: `ledger export of ${table.name} into ${target}`, fieldMap } });
    }
    return out;
  },
});
