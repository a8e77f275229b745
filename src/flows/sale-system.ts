import { type RandomStream, type Simulation, type Timer } from '../engine';
import { LogHistogram } from '../metrics/histogram';
import { FifoLine } from '../model/queueing/fifo-line';
import type { KafkaSystem } from '../model/kafka/system';
import { ArrivalProcess } from './arrivals';
import { Gateway, type GatewayOptions } from './gateway';
import { PushService, type PushOptions } from './push-service';
import { SalesNodes, type SalesNodesOptions } from './sales-nodes';
import { StockService, type StockOptions } from './stock-service';
import { makeRateCurve, type RateCurveSpec } from './traffic-curve';
import { ZipfSampler } from './zipf';

/**
 * The Double 12 sale on a Kafka cluster (shared/reference/mq-semantics.md §4.3):
 *
 *   buyers --> gateway --> order service ==orders topic==> stock service --> sales nodes
 *                (admission)   (the producer)   (the consumer group)  \--> push service
 *
 * Orders arrive as a Poisson process around the traffic curve; each buys one unit of a SKU
 * drawn by Zipf popularity. The gateway admits or turns it away; the order service sends it
 * to the `orders` topic keyed by SKU (or by user); the stock service, the topic's consumer
 * group, deducts stock and confirms or rejects; every stock change is published to the sales
 * nodes' views; every confirmation is pushed to the buyer. A confirmed order left unpaid is
 * cancelled after the payment timeout and its unit goes back on sale.
 *
 * The orders topic runs on the cluster model (replication, acks, elections, losses). The
 * stock-change feed and the push topics are modelled as queues with their own service rates,
 * without replication: docs/model.md says why and what that leaves out.
 */
export interface SaleOptions {
  /** The run's clock: simulated time 0 is `startSeconds` on the sale clock (0 = midnight). */
  startSeconds: number;
  endSeconds: number;
  curve: RateCurveSpec;
  users: number;
  items: number;
  zipfExponent: number;
  keyBy: 'sku' | 'user';
  gateway: GatewayOptions;
  stock: StockOptions & { unpaidFraction: number; paymentTimeoutUs: number };
  salesNodes: SalesNodesOptions;
  push: PushOptions & { promotion: { atUs: number; users: number } | null };
}

export type OrderRejection = 'rate-limited' | 'shed-backlog' | 'sold-out' | 'produce-failed';

export class SaleSystem {
  readonly gateway: Gateway;
  readonly stock: StockService;
  readonly salesNodes: SalesNodes;
  readonly push: PushService;
  readonly confirmLatencyUs = new LogHistogram();
  ordersPlaced = 0;
  ordersAccepted = 0;
  ordersConfirmed = 0;
  readonly rejected: Record<OrderRejection, number> = { 'rate-limited': 0, 'shed-backlog': 0, 'sold-out': 0, 'produce-failed': 0 };
  /** Told of each order's first decision with its latency from the gateway (the time series' p99). */
  onDecided: (latencyUs: number) => void = () => undefined;
  /** Orders in the topic or being processed: admitted and not yet decided. */
  private undecided = 0;
  private decided = new Uint8Array(1 << 16);
  private readonly arrivals: ArrivalProcess;
  private readonly arrivalTimer: Timer;
  private readonly items: ZipfSampler;
  private readonly userStream: RandomStream;
  private readonly unpaidStream: RandomStream;
  private readonly paymentDeadlines = new FifoLine();
  private readonly paymentTimer: Timer;

  constructor(
    private readonly sim: Simulation,
    readonly kafka: KafkaSystem,
    readonly options: SaleOptions,
  ) {
    this.gateway = new Gateway(options.gateway);
    this.stock = new StockService(options.stock);
    this.salesNodes = new SalesNodes(options.salesNodes);
    this.push = new PushService(sim, sim.stream('sale/push'), options.push);
    this.arrivals = new ArrivalProcess(makeRateCurve(options.curve), sim.stream('sale/arrivals'), options.startSeconds, options.endSeconds);
    this.items = new ZipfSampler(options.items, options.zipfExponent, sim.stream('sale/items'));
    this.userStream = sim.stream('sale/users');
    this.unpaidStream = sim.stream('sale/payment');
    this.arrivalTimer = sim.timer(sim.defineEvent('sale/order-arrival', () => this.onOrderArrival()));
    this.paymentTimer = sim.timer(sim.defineEvent('sale/payment-timeouts', () => this.onPaymentTimeouts()));
    const promote = sim.defineEvent('sale/promotion', (users) => this.push.promote(users));
    if (options.push.promotion !== null) sim.scheduleAt(options.push.promotion.atUs, promote, options.push.promotion.users);

    const group = kafka.group;
    group.onProcessingStart = (id) => this.stock.begin(id, this.skuOf(id));
    const delivered = group.onDelivered;
    group.onDelivered = (id, partition, endToEndUs) => {
      delivered?.(id, partition, endToEndUs);
      this.onStockProcessed(id);
    };
    kafka.ledger.onRejected = (first, count) => {
      for (let id = first; id < first + count; id++) this.decide(id, 'produce-failed');
    };
  }

  start(): void {
    this.scheduleNextArrival();
  }

  /** Orders admitted and still waiting for their stock decision (the gateway's backlog). */
  get backlog(): number {
    return this.undecided;
  }

  private scheduleNextArrival(): void {
    const next = this.arrivals.nextArrivalUs();
    if (next < Infinity) this.arrivalTimer.armAt(Math.max(next, this.sim.now));
  }

  private onOrderArrival(): void {
    this.ordersPlaced++;
    const refusal = this.gateway.admit(this.sim.now, this.undecided);
    if (refusal !== null) this.rejected[refusal]++;
    else this.placeOrder();
    this.scheduleNextArrival();
  }

  private placeOrder(): void {
    const sku = this.items.next();
    const user = this.userStream.nextInt(this.options.users);
    const stockKey = sku * this.options.stock.buckets + (user % this.options.stock.buckets);
    // The order carries its stock key (SKU and bucket) as the record's payload.
    this.kafka.producer.submit(this.options.keyBy === 'sku' ? stockKey : user, stockKey);
    this.ordersAccepted++;
    this.undecided++;
  }

  private onStockProcessed(id: number): void {
    const sku = this.skuOf(id);
    const decision = this.stock.finish(id, sku);
    if (decision === 'duplicate-skipped') return;
    if (decision === 'sold-out') return this.decide(id, 'sold-out');
    this.salesNodes.publish(this.sim.now);
    this.push.notifyOrder();
    if (!this.isDecided(id)) {
      this.ordersConfirmed++;
      this.decide(id, null);
    }
    if (this.unpaidStream.nextFloat() < this.options.stock.unpaidFraction) {
      this.paymentDeadlines.push(sku, this.sim.now + this.options.stock.paymentTimeoutUs);
      if (!this.paymentTimer.armed) this.paymentTimer.armAt(this.paymentDeadlines.peekArrivalUs());
    }
  }

  /** First decision on an order: confirmed (reason null) or rejected with its reason. */
  private decide(id: number, reason: OrderRejection | null): void {
    if (this.isDecided(id)) return;
    if (id >= this.decided.length) this.grow(id);
    this.decided[id] = 1;
    this.undecided--;
    if (reason !== null) this.rejected[reason]++;
    const latencyUs = this.sim.now - this.kafka.ledger.createdAtUs(id);
    this.confirmLatencyUs.record(latencyUs);
    this.onDecided(latencyUs);
  }

  ordersRejected(): number {
    let total = 0;
    for (const reason of Object.keys(this.rejected) as OrderRejection[]) total += this.rejected[reason];
    return total;
  }

  /** Delayed cancellation: unpaid orders whose payment window closed give their unit back. */
  private onPaymentTimeouts(): void {
    const line = this.paymentDeadlines;
    while (line.length > 0 && line.peekArrivalUs() <= this.sim.now) {
      this.stock.release(line.shift());
      this.salesNodes.publish(this.sim.now);
    }
    if (line.length > 0) this.paymentTimer.armAt(line.peekArrivalUs());
  }

  /** Orders lost by the cluster: admitted, in the ledger as lost, never decided. */
  ordersLost(): number {
    return this.kafka.ledger.totals().lost;
  }

  private isDecided(id: number): boolean {
    return id < this.decided.length && this.decided[id] !== 0;
  }

  /** The stock key (SKU and bucket) order `id` deducts from. */
  private skuOf(id: number): number {
    return this.kafka.producer.payloadOf(id);
  }

  private grow(id: number): void {
    let size = this.decided.length;
    while (id >= size) size *= 2;
    const decided = new Uint8Array(size);
    decided.set(this.decided);
    this.decided = decided;
  }
}
