import { toAppError } from '../../core/api/errors.js';
import { createLogger } from '../log/logger.js';
import { getSourceDefinition } from '../sources/registry.js';

/** Checks that a source can be reached and read with the credentials it names; never throws. */
export async function testSourceConnection(source: { kind: string; config: Record<string, unknown>; baseDir: string }, timeoutMs = 30_000): Promise<{ ok: boolean; message: string }> {
  try {
    const def = getSourceDefinition(source.kind);
    return await def.testConnection(def.configSchema.parse(source.config), { baseDir: source.baseDir, signal: AbortSignal.timeout(timeoutMs), log: createLogger(`sources.${source.kind}`) });
  } catch (err) {
    return { ok: false, message: toAppError(err).message };
  }
}
