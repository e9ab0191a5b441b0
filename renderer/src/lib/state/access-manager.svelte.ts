import type { Phrase } from '../../../../shared/core/model/phrase';
import { invoke } from '../api/client';
import type { CallOutput } from '../../../../shared/core/api/contract';

export type AccessAnswer = CallOutput<'access:matrix'>[number];
export type Coverage = CallOutput<'coverage:get'>;

/**
 * The access matrix (every PII field with who can read it) and transfer-path coverage, loaded once
 * per workspace and re-loaded after a scan; the views filter them in the page.
 */
class AccessManager {
  matrix = $state.raw<AccessAnswer[]>([]);
  coverage = $state.raw<Coverage | null>(null);
  loaded = $state(false);
  loading = $state(false);
  error = $state<string | null>(null);

  async load(force = false): Promise<void> {
    if ((this.loaded || this.loading) && !force) return;
    this.loading = true;
    try {
      const [matrix, coverage] = await Promise.all([invoke('access:matrix', {}), invoke('coverage:get', {})]);
      this.matrix = matrix;
      this.coverage = coverage;
      this.error = null;
      this.loaded = true;
    } catch (err) {
      this.error = (err as Error).message;
    } finally {
      this.loading = false;
    }
  }

  /** Principal → the fields it can read, from the matrix. */
  get byPrincipal(): { principal: string; everyone: boolean; fields: { urn: string; entities: string[]; via: string; conditions: string[]; conditionPhrases?: Phrase[] }[] }[] {
    const map = new Map<string, { principal: string; everyone: boolean; fields: { urn: string; entities: string[]; via: string; conditions: string[]; conditionPhrases?: Phrase[] }[] }>();
    for (const a of this.matrix) {
      for (const r of a.readers) {
        const slot = map.get(r.principal) ?? { principal: r.principal, everyone: r.everyone, fields: [] };
        if (!slot.fields.some((f) => f.urn === a.urn)) slot.fields.push({ urn: a.urn, entities: a.entities, via: r.via, conditions: r.conditions, conditionPhrases: r.conditionPhrases });
        map.set(r.principal, slot);
      }
    }
    return [...map.values()].sort((a, b) => Number(b.everyone) - Number(a.everyone) || b.fields.length - a.fields.length || a.principal.localeCompare(b.principal));
  }
}

export const access = new AccessManager();
