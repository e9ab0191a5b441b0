import type { Finding, Severity } from '../../../core/model/finding.js';
import { entitySeverity } from '../../../core/pii/index.js';
import { defineAnalyzer } from './analyzer.js';

/** Severity of a PII finding: what the entity's recognizer says (PIPL "sensitive personal information" is high). */
export function piiSeverity(entity: string): Severity {
  return entitySeverity(entity);
}

/** One `pii` finding per PII verdict on a column/field node (prevalence over its sample). */
export const piiFindingsAnalyzer = defineAnalyzer({
  name: 'pii',
  // After lineage (20), so fields that inherit PII through lineage get their findings too.
  order: 25,
  run(store) {
    const findings: Finding[] = [];
    for (const node of store.graph.nodesWhere({ withPii: true })) {
      for (const tag of node.pii ?? []) {
        findings.push({
          type: 'pii',
          rule: tag.inherited ? 'pii.inherited' : `pii.${tag.entity.toLowerCase()}`,
          urn: node.urn,
          severity: piiSeverity(tag.entity),
          confidence: tag.confidence,
          entity: tag.entity,
          matches: tag.matches,
          sampled: tag.sampled,
          examples: tag.examples.slice(0, 3),
          evidence: tag.inherited
            ? `inherited through lineage (${String((tag as { via?: string }).via ?? 'upstream field')}); not seen in the sample itself`
            : `${tag.matches} of ${tag.sampled} sampled values look like ${tag.entity}`,
        });
      }
    }
    store.findings.replaceFor('pii', findings);
    return { findings: findings.length };
  },
});
