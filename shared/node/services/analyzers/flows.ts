import { findCrossBorderFlows } from '../../../core/lineage/index.js';
import { hasMessage } from '../../../core/i18n/catalogue.js';
import { phrase, spokenEvidence } from '../../../core/i18n/phrase.js';
import type { Phrase } from '../../../core/model/phrase.js';
import type { Finding } from '../../../core/model/finding.js';
import { defineAnalyzer } from './analyzer.js';
import { lineageViewOf } from './lineage-view.js';

/**
 * One `flow` finding per path carrying PII from one jurisdiction to another (CN → EU…), over the
 * edges the sources captured and the lineage analyzer inferred, with every hop's evidence.
 */
/** The law restricting transfers out of a jurisdiction, as a phrase when the catalogue names it. */
export function lawPhrase(jurisdiction: string, law: string): Phrase | string {
  return hasMessage(`law.${jurisdiction}`) ? { key: `law.${jurisdiction}` } : law;
}

/** A flow's whole record — the crossing, its field pairs, every hop with its evidence — said from phrases. */
function recordedEvidence(f: ReturnType<typeof findCrossBorderFlows>[number]): Phrase {
  const crossing = { entities: f.entities.join(', '), fromRegion: f.fromRegion, fromJ: f.fromJurisdiction, toRegion: f.toRegion, toJ: f.toJurisdiction };
  const hops = f.hops.map((h) => {
    const base = { kind: h.kind, from: h.from, to: h.to, rule: h.rule, confidence: String(h.confidence), detail: h.phrase ?? h.detail };
    return h.masks?.length ? phrase('ev.flow.hopMasked', { ...base, masks: h.masks.map((m) => `${m.field} (${m.kind})`).join(', ') }) : phrase('ev.flow.hop', base);
  });
  return phrase('ev.flow.recorded', {
    moves: f.law ? phrase('ev.flow.movesRestricted', { ...crossing, law: lawPhrase(f.fromJurisdiction, f.law) }) : phrase('ev.flow.moves', crossing),
    fields: phrase('ev.flow.fields', { pairs: f.fieldPairs.map((p) => `${p.from} → ${p.to} [${p.entities.join(', ')}]`).join('; ') }),
    hops: phrase('ev.flow.hops', { hops }),
  });
}

export const flowsAnalyzer = defineAnalyzer({
  name: 'flows',
  order: 30,
  run(store) {
    const view = lineageViewOf(store);
    const findings: Finding[] = findCrossBorderFlows(view, view.edges).map((f) => ({
      type: 'flow',
      rule: f.law ? `flow.cross-border.${f.fromJurisdiction.toLowerCase()}-export` : 'flow.cross-border',
      urn: f.from,
      severity: f.severity,
      confidence: f.confidence,
      from: f.from,
      to: f.to,
      fromRegion: f.fromRegion,
      toRegion: f.toRegion,
      entities: f.entities,
      path: f.path,
      hops: f.hops,
      ...spokenEvidence(recordedEvidence(f)),
    }));
    store.findings.replaceFor('flows', findings);
    return { findings: findings.length };
  },
});
