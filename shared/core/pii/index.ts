/** The PII classification engine: recognizers, field/value classification, masking, fingerprint forms, rule packs. */
export type { EntityLabels, PatternSource, Recognizer, ValueContext, ValueShape } from './types.js';
export { RECOGNIZERS, PII_ENTITIES, activeRecognizers, entityDefinition, entityLabel, entityLabels, entitySeverity, setRulePackRecognizers } from './registry.js';
export { classifyField, classifyValue, describeCoverage, MAX_TEXT_SCAN, TEXT_EXAMPLE } from './classify.js';
export type { ClassifyOptions, CoverageInput, FieldVerdict, ValueMatch, VerdictBasis } from './classify.js';
export { countryOfRegion } from './region-country.js';
export { decodeAvroValue, decodeConnectValue, decodeLogical, decodeSchemaEnvelope, wkbPointToText } from './logical-types.js';
export type { ConnectSchema } from './logical-types.js';
export { maskValue } from './masking.js';
export { normalizeForFingerprint } from './normalize.js';
export { BUILTIN_RULE_PACK_DIR, parseRulePack, RULE_PACK_VALIDATORS } from './rule-pack.js';
export { evaluateCorpus } from './evaluate.js';
export { evaluateColumns } from './evaluate.js';
export type { ColumnOutcome, EntityScore, LabelledColumn, LabelledValue } from './evaluate.js';
export { gb11643Valid, ibanValid, isIPv4, isIPv6, luhnValid, cnMobileNational } from './checksums.js';
export { MAX_VALUE_LENGTH, matchesRecognizer } from './compile.js';
