import { TokenBucket } from './token-bucket';

/**
 * The sale's front door: admission control before an order reaches the order service.
 * An order is turned away, with its reason counted, when the token bucket is empty
 * (`rate-limited`) or when as many orders as the backlog limit already wait for a stock decision
 * (`shed-backlog`, queue-depth shedding). Rejected orders are answered at once ("try again");
 * they are never lost silently.
 */
export interface GatewayOptions {
  /** Token-bucket rate, orders per second; Infinity for no limit. */
  rateLimitPerSecond: number;
  burst: number;
  /** Orders accepted but not yet decided above which new orders are shed; Infinity for none. */
  maxBacklog: number;
}

export type GatewayRejection = 'rate-limited' | 'shed-backlog';

export class Gateway {
  private readonly bucket: TokenBucket | null;
  readonly rejected: Record<GatewayRejection, number> = { 'rate-limited': 0, 'shed-backlog': 0 };

  constructor(private readonly options: GatewayOptions) {
    this.bucket = Number.isFinite(options.rateLimitPerSecond) ? new TokenBucket(options.rateLimitPerSecond, options.burst) : null;
  }

  /** Null when the order is admitted, else why not. The backlog is checked first: it costs no token. */
  admit(nowUs: number, backlog: number): GatewayRejection | null {
    if (backlog >= this.options.maxBacklog) return this.reject('shed-backlog');
    if (this.bucket !== null && !this.bucket.tryTake(nowUs)) return this.reject('rate-limited');
    return null;
  }

  /** Tokens in the bucket at `nowUs` (read only), or null when there is no rate limit. */
  tokens(nowUs: number): number | null {
    return this.bucket === null ? null : this.bucket.available(nowUs);
  }

  private reject(reason: GatewayRejection): GatewayRejection {
    this.rejected[reason]++;
    return reason;
  }
}
