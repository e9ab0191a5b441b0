import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../core/api/errors.js';
import { BUILTIN_RULE_PACK_DIR, parseRulePack, setRulePackRecognizers } from '../../core/pii/index.js';
import type { Recognizer } from '../../core/pii/index.js';
import { driftlineHome } from '../store/keys.js';
import { appRoot } from '../app-root.js';

/** Where rule packs are read from: the shipped folder, then the user's own. */
export function rulePackDirs(): string[] {
  return [join(appRoot(), BUILTIN_RULE_PACK_DIR), join(driftlineHome(), 'rules', 'pii')];
}

/**
 * Loads every `*.yaml` rule pack and makes its recognizers active for classification. A broken pack
 * stops the scan before it starts, with an error naming the file and the rule, so a user never
 * believes a rule ran when it did not.
 */
export function loadRulePacks(dirs = rulePackDirs()): Recognizer[] {
  const recognizers: Recognizer[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
      const path = join(dir, file);
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (err) {
        throw new AppError('CONFIG_INVALID', `rule pack ${path} cannot be read: ${(err as Error).message}`, { cause: err });
      }
      recognizers.push(...parseRulePack(text, path));
    }
  }
  setRulePackRecognizers(recognizers);
  return recognizers;
}
