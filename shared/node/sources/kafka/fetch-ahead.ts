import type { GrouplessFetcher } from './groupless-fetch.js';

type FetchResult = Awaited<ReturnType<GrouplessFetcher['fetchFrom']>>;

/**
 * One Fetch asked for ahead of time: while the capture decodes and classifies the messages of one
 * answer, the broker is already preparing the next (a broker is another process, usually another
 * machine), so the sample's wall time is not the sum of both. At most one Fetch is ahead; `fetch`
 * returns it when asked for exactly the same partition, offset and cap, and otherwise leaves it
 * unused and fetches anew — a wrong guess costs one Fetch, never a wrong answer.
 */
export class FetchAhead {
  private ahead?: { key: string; result: Promise<FetchResult> };

  constructor(private readonly fetcher: GrouplessFetcher, private readonly topic: string) {}

  /** Starts the Fetch `fetch` is expected to be asked for next (replacing any unused one). */
  prefetch(partition: number, offset: bigint, cap: number): void {
    const result = this.fetcher.fetchFrom(this.topic, partition, offset, cap);
    // Its failure is reported when it is taken; one never taken must not become an unhandled rejection.
    result.catch(() => undefined);
    this.ahead = { key: keyOf(partition, offset, cap), result };
  }

  /** The answer for this Fetch: the one already under way when it matches, else a new request. */
  fetch(partition: number, offset: bigint, cap: number): Promise<FetchResult> {
    const ahead = this.ahead;
    this.ahead = undefined;
    if (ahead && ahead.key === keyOf(partition, offset, cap)) return ahead.result;
    return this.fetcher.fetchFrom(this.topic, partition, offset, cap);
  }
}

const keyOf = (partition: number, offset: bigint, cap: number) => `${partition}:${offset}:${cap}`;
