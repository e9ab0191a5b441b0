import { explainReasons } from '../drift/anomaly-text.js';
import type { Finding } from '../model/finding.js';
import { translate } from './catalogue.js';
import type { Lang } from './format.js';
import { entityLabel } from './terms.js';
import { textOf } from './phrase.js';

/** A list in the reader's language ("a, b and c" / "a、b 和 c"). */
export function listText(items: readonly string[], lang: Lang): string {
  return new Intl.ListFormat(lang, { style: 'long', type: 'conjunction' }).format(items);
}

/** A configuration value as evidence shows it: text as it is, anything else as JSON, absence said. */
export function valueText(value: unknown, lang: Lang): string {
  if (value === undefined || value === null) return translate(lang, 'drift.absent');
  return JSON.stringify(value);
}

/**
 * A finding in one sentence, in the reader's language, built from its structured fields. The
 * studio's tables, the PDF report and the CLI all say a finding this way. Free text an analyzer
 * wrote stays as written only where no structure exists (it is then shown as "evidence as recorded").
 */
export function describeFinding(f: Finding, lang: Lang): string {
  const entity = (code: string) => entityLabel(code, lang);
  switch (f.type) {
    case 'pii':
      return f.rule === 'pii.inherited'
        ? translate(lang, 'findings.piiInherited', { entity: entity(f.entity) })
        : translate(lang, 'findings.piiEvidence', { matches: f.matches, sampled: f.sampled, entity: entity(f.entity) });
    case 'flow':
      return translate(lang, 'findings.flowEvidence', { entities: listText(f.entities.map(entity), lang), fromRegion: f.fromRegion, toRegion: f.toRegion });
    case 'drift':
      if (f.rule === 'drift.missing-live' && !f.path) return translate(lang, 'findings.driftMissing');
      if (f.rule === 'drift.unmanaged-live' && !f.path) return translate(lang, 'findings.driftUnmanaged');
      if (f.rule === 'drift.modified' || f.rule === 'drift.unmanaged-live' || f.rule === 'drift.missing-live') {
        return translate(lang, 'findings.driftModified', { path: f.path || translate(lang, 'drift.wholeObject'), desired: valueText(f.desired, lang), live: valueText(f.live, lang) });
      }
      return textOf(f.evidence, f.evidencePhrase, lang);
    case 'exposure':
      return translate(lang, 'findings.exposureEvidence', { subject: f.subject, verbs: listText(f.verbs, lang), resource: f.resource });
    case 'anomaly':
      return f.reasons?.length ? explainReasons(f.reasons, lang) : f.explanation;
  }
}

/** Whether the finding's recorded evidence says more than {@link describeFinding} (then show both). */
export function evidenceAddsDetail(f: Finding): boolean {
  return f.type === 'exposure' || f.type === 'flow' || f.type === 'anomaly' || (f.type === 'drift' && !['drift.modified', 'drift.missing-live', 'drift.unmanaged-live'].includes(f.rule)) || f.rule === 'pii.inherited';
}
