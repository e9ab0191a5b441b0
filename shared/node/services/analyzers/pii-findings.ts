import type { Finding, Severity } from '../../../core/model/finding.js';
import { defineAnalyzer } from './analyzer.js';

/** Entities whose exposure is most harmful get a higher severity (PIPL "sensitive personal information"). */
const SENSITIVE = new Set(['CN_RESIDENT_ID', 'BANK_CARD', 'IBAN', 'CN_PASSPORT', 'US_SSN']);
const MEDIUM = new Set(['CN_MOBILE', 'PHONE', 'EMAIL', 'ADDRESS', 'DATE_OF_BIRTH', 'GEO_COORDINATE', 'PERSON_NAME']);

export function piiSeverity(entity: string): Severity {
  return SENSITIVE.has(entity) ? 'high' : MEDIUM.has(entity) ? 'medium' : 'low';
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
