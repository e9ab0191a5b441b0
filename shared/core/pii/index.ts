/** The PII classification engine: recognizers, field/value classification, masking, fingerprint forms, rule packs. */
export type { PatternSource, Recognizer, ValueShape } from './types.js';
export { RECOGNIZERS, activeRecognizers, setRulePackRecognizers } from './registry.js';
export { classifyField, classifyValue, describeCoverage } from './classify.js';
export type { ClassifyOptions, CoverageInput, FieldVerdict, ValueMatch } from './classify.js';
export { maskValue } from './masking.js';
export { normalizeForFingerprint } from './normalize.js';
export { BUILTIN_RULE_PACK_DIR, parseRulePack, RULE_PACK_VALIDATORS } from './rule-pack.js';
export { generateCorpus } from './corpus.js';
export type { CorpusItem } from './corpus.js';
export { evaluateCorpus } from './evaluate.js';
export type { EntityScore } from './evaluate.js';
export { gb11643Valid, ibanValid, isIPv4, isIPv6, luhnValid, cnMobileNational } from './checksums.js';
export { MAX_VALUE_LENGTH, matchesRecognizer } from './compile.js';
