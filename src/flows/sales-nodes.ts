import { LogHistogram } from '../metrics/histogram';

/**
 * The sales nodes' stock views: each node applies the stock service's change messages one at
 * a time, `applyUs` each (its apply loop: deserialise, update the local cache), in publish
 * order, after the network's one-way latency. A node's view differs from the truth by the
 * changes it has not applied yet, one unit each: that count is its divergence.
 *
 * Each node is a D/1 FIFO queue, so it needs no events: the time the last published change
 * will be applied is enough. From a change's arrival to its application the node works
 * without a pause (on it or on changes ahead of it), so the changes queued at the node when
 * it arrives are exactly ceil((appliedAt - arrivedAt) / applyUs). A node that cannot keep up
 * with the rate of changes falls behind and its view drifts: the lesson of stock sync at
 * midnight. The recorded maximum counts a change from its arrival at the node; `pending`, read
 * between arrivals, looks ahead to the queue a change still on the wire will find.
 */
export interface SalesNodesOptions {
  /** Apply time of one change per node, microseconds; the array's length is the node count. */
  applyUs: readonly number[];
  latencyUs: number;
}

export class SalesNodes {
  private readonly lastAppliedUs: Float64Array;
  private lastArrivesUs = -Infinity;
  private readonly divergedSinceUs: Float64Array;
  private readonly divergedUs: Float64Array;
  private readonly maxPending: Float64Array;
  /** Publish-to-applied time of every change, over all nodes. */
  readonly stalenessUs = new LogHistogram();
  published = 0;

  constructor(readonly options: SalesNodesOptions) {
    const nodes = options.applyUs.length;
    this.lastAppliedUs = new Float64Array(nodes).fill(-Infinity);
    this.divergedSinceUs = new Float64Array(nodes);
    this.divergedUs = new Float64Array(nodes);
    this.maxPending = new Float64Array(nodes);
  }

  get nodes(): number {
    return this.options.applyUs.length;
  }

  /** The stock service publishes one change (one unit up or down) now. */
  publish(nowUs: number): void {
    this.published++;
    const arrivesUs = nowUs + this.options.latencyUs;
    for (let node = 0; node < this.nodes; node++) {
      const last = this.lastAppliedUs[node]!;
      if (last <= nowUs) {
        // The node was in sync: a new divergent interval starts now.
        if (last > -Infinity) this.divergedUs[node]! += last - this.divergedSinceUs[node]!;
        this.divergedSinceUs[node] = nowUs;
      }
      const apply = this.options.applyUs[node]!;
      const applied = Math.max(arrivesUs, last) + apply;
      this.lastAppliedUs[node] = applied;
      this.stalenessUs.record(applied - nowUs);
      const queued = Math.ceil((applied - arrivesUs) / apply - 1e-9);
      if (queued > this.maxPending[node]!) this.maxPending[node] = queued;
    }
    this.lastArrivesUs = arrivesUs;
  }

  /**
   * Changes queued at `node` and not yet applied at `nowUs`: its divergence in units. When
   * the last change is still on the wire, this is the queue it will find on arrival (a
   * look-ahead of at most one network latency).
   */
  pending(node: number, nowUs: number): number {
    const last = this.lastAppliedUs[node]!;
    if (last <= nowUs) return 0;
    const from = Math.max(nowUs, this.lastArrivesUs);
    return Math.ceil((last - from) / this.options.applyUs[node]! - 1e-9);
  }

  /** The largest divergence of any node right now. */
  divergence(nowUs: number): number {
    let max = 0;
    for (let node = 0; node < this.nodes; node++) max = Math.max(max, this.pending(node, nowUs));
    return max;
  }

  maxDivergence(): number {
    let max = 0;
    for (let node = 0; node < this.nodes; node++) max = Math.max(max, this.maxPending[node]!);
    return max;
  }

  /** Seconds the most-diverged node spent with an out-of-date view, up to `nowUs`. */
  divergedSeconds(nowUs: number): number {
    let max = 0;
    for (let node = 0; node < this.nodes; node++) {
      const last = this.lastAppliedUs[node]!;
      const open = last > -Infinity ? Math.min(last, nowUs) - this.divergedSinceUs[node]! : 0;
      max = Math.max(max, this.divergedUs[node]! + Math.max(0, open));
    }
    return max / 1_000_000;
  }
}
