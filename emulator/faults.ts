// Injected failures, deterministic for a seed. A fault answers before the request acts, so
// state is unchanged, except 'reset-after', which acts and then drops the reply: the case
// where a client must not blindly repeat a create or a finalize.
import { seeded } from './random.js';

export type FaultKind = '429' | '500' | '502' | '503' | '504' | 'reset' | 'reset-after' | 'slow';

export interface FaultOptions {
  /** Share of requests that fail, 0..1. */
  rate: number;
  seed?: number;
  /** Default: 429, 500, 502, 503, 504, reset. */
  kinds?: FaultKind[];
  /** Retry-After of a 429 (default 1). */
  retryAfterSeconds?: number;
  /** Delay of a 'slow' fault (default 2000). */
  slowMs?: number;
  /**
   * In-process tests: a 'slow' fault waits until this settles instead of slowMs (holds one
   * run's request until another run is done, with no timing).
   */
  hold?: () => Promise<unknown>;
  /** Every request fails with 503: an outage. */
  permanent?: boolean;
  /** Only requests this accepts can fail (e.g. only finalize). `query` is the raw query string. */
  match?: (req: { method: string; path: string; query: string }) => boolean;
  /** At most this many faults, then none. */
  limit?: number;
}

export const DEFAULT_FAULT_KINDS: FaultKind[] = ['429', '500', '502', '503', '504', 'reset'];

export class Faults {
  private readonly random: () => number;
  private injected = 0;

  constructor(readonly options: FaultOptions = { rate: 0 }) {
    this.random = seeded(options.seed ?? 1);
  }

  /** The fault for this request, if any. */
  pick(req: { method: string; path: string; query: string }): FaultKind | undefined {
    const o = this.options;
    if (o.permanent) return '503';
    if (!o.rate || (o.match && !o.match(req))) return undefined;
    if (o.limit !== undefined && this.injected >= o.limit) return undefined;
    if (this.random() >= o.rate) return undefined;
    const kinds = o.kinds?.length ? o.kinds : DEFAULT_FAULT_KINDS;
    this.injected++;
    return kinds[Math.floor(this.random() * kinds.length)];
  }
}
