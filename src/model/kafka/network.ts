import { assert, type RandomStream } from '../../engine';

/**
 * Linux's minimum TCP retransmission timeout (TCP_RTO_MIN, 200 ms): Kafka runs over TCP, so a
 * lost packet does not lose a message; it is sent again after the RTO, doubled for each
 * further loss.
 */
export const TCP_RTO_MIN_US = 200_000;

/**
 * Links between nodes (brokers, the controller, clients): a one-way latency per ordered pair
 * and whether the pair can talk. A cut drops what is sent across it, and also what is on the
 * wire when the cut happens (checked again on arrival), as a real partition would.
 * A crashed node is handled by its owner (it neither sends nor receives).
 */
export class Network {
  private readonly latency: Float64Array;
  private readonly cutLinks: Uint8Array;
  /** When each node's NIC has sent everything queued so far (µs). */
  private readonly nicBusyUntilUs: Float64Array;
  /** NIC bandwidth of each node, bytes per µs (= MB/s); Infinity: sending takes no time. */
  private readonly bytesPerUs: Float64Array;
  /** Packet loss per ordered pair, 0..1. */
  private readonly loss: Float64Array;
  private lossStream: RandomStream | null = null;
  /** Extra delay per message on every link, µs (queueing in switches, scheduling): none by default. */
  private jitterUs: (() => number) | null = null;
  /** When the last message sent on each ordered pair arrives: TCP delivers in order. */
  private readonly lastArrivalUs: Float64Array;

  constructor(
    readonly nodeCount: number,
    latencyUs: number,
  ) {
    assert(Number.isInteger(latencyUs) && latencyUs >= 0, () => `link latency must be whole µs >= 0, got ${latencyUs}`);
    this.latency = new Float64Array(nodeCount * nodeCount).fill(latencyUs);
    this.cutLinks = new Uint8Array(nodeCount * nodeCount);
    this.nicBusyUntilUs = new Float64Array(nodeCount);
    this.bytesPerUs = new Float64Array(nodeCount).fill(Infinity);
    this.loss = new Float64Array(nodeCount * nodeCount);
    this.lastArrivalUs = new Float64Array(nodeCount * nodeCount);
  }

  /**
   * When a message that leaves `from` at `sendUs` reaches `to`: after the link's latency and
   * any retransmissions, and never before the message sent ahead of it on the same link (a
   * Kafka connection is one TCP stream: a retransmitted or slower message holds back the
   * ones behind it, so requests and responses never overtake each other).
   */
  arrivalUs(from: number, to: number, sendUs: number): number {
    const link = from * this.nodeCount + to;
    const jitter = this.jitterUs === null || from === to ? 0 : this.jitterUs();
    const arrival = Math.max(sendUs + this.latency[link]! + jitter + this.retransmissionDelayUs(from, to), this.lastArrivalUs[link]!);
    this.lastArrivalUs[link] = arrival;
    return arrival;
  }

  /**
   * The link between `a` and `b` loses each packet with `probability` (both ways). Draws come
   * from `stream`, only while some link is lossy, so that runs without loss draw nothing.
   */
  setLoss(a: number, b: number, probability: number, stream: RandomStream): void {
    this.assertNode(a);
    this.assertNode(b);
    assert(probability >= 0 && probability < 1, () => `loss probability must be in [0, 1), got ${probability}`);
    this.loss[a * this.nodeCount + b] = probability;
    this.loss[b * this.nodeCount + a] = probability;
    this.lossStream = stream;
  }

  /**
   * Time lost to TCP retransmissions for one message on `from -> to`: each loss in a row costs
   * the retransmission timeout, doubled each time (200 ms, then 400 ms...). Zero on a clean link.
   */
  private retransmissionDelayUs(from: number, to: number): number {
    const p = this.loss[from * this.nodeCount + to]!;
    if (p === 0 || this.lossStream === null) return 0;
    let delayUs = 0;
    let rtoUs = TCP_RTO_MIN_US;
    while (this.lossStream.nextFloat() < p) {
      delayUs += rtoUs;
      rtoUs *= 2;
    }
    return delayUs;
  }

  /**
   * Every message on every link waits `sampleUs()` µs more than the link's latency (whole µs,
   * from a random stream of its own, so that runs without jitter draw nothing). Messages on one
   * link still arrive in order, as over TCP: a slow one holds back those behind it.
   */
  setJitter(sampleUs: () => number): void {
    this.jitterUs = () => Math.max(0, Math.round(sampleUs()));
  }

  /** Every node's NIC sends `mbps` MB/s (10^6 bytes); Infinity for no bandwidth limit. */
  setBandwidthMBps(mbps: number): void {
    assert(mbps > 0, () => `NIC bandwidth must be > 0, got ${mbps}`);
    this.bytesPerUs.fill(mbps);
  }

  /**
   * One node's NIC sends `mbps` MB/s: e.g. the producer node, which stands for all the client
   * machines of a benchmark, gets their summed bandwidth (hardware-presets.ts).
   */
  setNodeBandwidthMBps(node: number, mbps: number): void {
    this.assertNode(node);
    assert(mbps > 0, () => `NIC bandwidth must be > 0, got ${mbps}`);
    this.bytesPerUs[node] = mbps;
  }

  /**
   * Extra delay, whole µs, for `bytes` leaving `from` now: the NIC sends one message after
   * another, so a message waits for those queued before it and then for its own
   * serialisation (bytes / bandwidth). Zero without a bandwidth limit.
   */
  transmissionDelayUs(from: number, nowUs: number, bytes: number): number {
    const bytesPerUs = this.bytesPerUs[from]!;
    if (bytesPerUs === Infinity || bytes <= 0) return 0;
    const doneUs = Math.max(nowUs, this.nicBusyUntilUs[from]!) + bytes / bytesPerUs;
    this.nicBusyUntilUs[from] = doneUs;
    return Math.ceil(doneUs - nowUs);
  }

  latencyUs(from: number, to: number): number {
    return this.latency[from * this.nodeCount + to]!;
  }

  setLatencyUs(from: number, to: number, latencyUs: number): void {
    this.assertNode(from);
    this.assertNode(to);
    assert(Number.isInteger(latencyUs) && latencyUs >= 0, () => `link latency must be whole µs >= 0, got ${latencyUs}`);
    this.latency[from * this.nodeCount + to] = latencyUs;
    this.latency[to * this.nodeCount + from] = latencyUs;
  }

  connected(from: number, to: number): boolean {
    return from === to || this.cutLinks[from * this.nodeCount + to] === 0;
  }

  /** Told when links are cut or healed. */
  onLinksChanged: () => void = () => undefined;

  /** Cuts every link between a node of `side` and a node of `otherSide`, both directions. */
  partition(side: readonly number[], otherSide: readonly number[], cut = true): void {
    [...side, ...otherSide].forEach((node) => this.assertNode(node));
    this.onLinksChanged();
    for (const a of side) {
      for (const b of otherSide) {
        this.cutLinks[a * this.nodeCount + b] = cut ? 1 : 0;
        this.cutLinks[b * this.nodeCount + a] = cut ? 1 : 0;
      }
    }
  }

  private assertNode(node: number): void {
    assert(Number.isInteger(node) && node >= 0 && node < this.nodeCount, () => `node ${node} is not in 0..${this.nodeCount - 1}`);
  }

  healAll(): void {
    this.onLinksChanged();
    this.cutLinks.fill(0);
  }
}
