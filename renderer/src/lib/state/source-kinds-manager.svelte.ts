import { invoke } from '../api/client';
import { registerUrnScheme } from '../../../../shared/core/model/urn';
import type { SourceKindForm } from '../../../../shared/core/sources/form';
import { hasMessage, translate, type Lang } from '../../../../shared/core/i18n';

/**
 * The source kinds the service knows, each with its form generated from its config schema
 * (`sources:kinds`). Loaded with the workspace, before any view parses a URN: a kind added from one
 * file may mint URNs of its own scheme, and the studio learns that scheme here.
 */
class SourceKindsManager {
  kinds = $state<SourceKindForm[]>([]);
  error = $state<string | null>(null);
  /** True once the first load answered (or failed): views wait for it, since they parse URNs. */
  ready = $state(false);

  async load(): Promise<void> {
    try {
      const kinds = await invoke('sources:kinds', {});
      for (const kind of kinds) for (const scheme of kind.urnSchemes) registerUrnScheme(scheme);
      this.kinds = kinds;
      this.error = null;
    } catch (err) {
      this.error = (err as Error).message;
    } finally {
      this.ready = true;
    }
  }

  /** What a kind is in the reader's language ("Kafka Connect cluster"); its code where the catalogue does not name it. */
  label(kind: string, lang: Lang): string {
    const key = `sourceKind.${kind}`;
    return hasMessage(key) ? translate(lang, key) : kind;
  }

  form(kind: string): SourceKindForm | undefined {
    return this.kinds.find((k) => k.kind === kind);
  }
}

export const sourceKinds = new SourceKindsManager();
