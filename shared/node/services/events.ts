import type { EventName, EventPayload } from '../../core/api/contract.js';
import { checkEventPayload } from '../../core/api/dispatch.js';

type Listener<K extends EventName> = (payload: EventPayload<K>) => void;

/** A typed event bus for the contract's events; transports subscribe and forward. */
export class EventBus {
  private readonly listeners = new Map<EventName, Set<Listener<any>>>();

  /** `checkPayloads`: validate every payload against the contract before it leaves (on in tests). */
  constructor(private readonly checkPayloads = false) {}

  on<K extends EventName>(event: K, listener: Listener<K>): () => void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener);
    this.listeners.set(event, set);
    return () => set.delete(listener);
  }

  emit<K extends EventName>(event: K, payload: EventPayload<K>): void {
    if (this.checkPayloads) checkEventPayload(event, payload);
    for (const l of this.listeners.get(event) ?? []) {
      try { l(payload); } catch { /* a broken listener must not stop a scan */ }
    }
  }
}
