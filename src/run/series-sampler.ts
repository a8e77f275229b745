import type { Simulation } from '../engine';
import { LogHistogram } from '../metrics/histogram';
import { TIME_COLUMN, TimeSeriesRecorder, type SeriesColumn, type TimeSeries } from '../metrics/time-series';
import type { KafkaSystem } from '../model/kafka/system';
import type { SaleSystem } from '../flows/sale-system';

/**
 * Samples a Kafka (and sale) run once per time bucket into the time series that feeds
 * timeseries.csv, report.html and the app's charts. Rates are differences of running
 * counters over the bucket; latency percentiles come from a histogram of the bucket's
 * deliveries, reset after each row; gauges are read at the bucket's end.
 */
const KAFKA_COLUMNS: SeriesColumn[] = [
  TIME_COLUMN,
  { key: 'producedPerSec', label: 'Produced', unit: 'msg/s', chart: 'throughput' },
  { key: 'deliveredPerSec', label: 'Delivered', unit: 'msg/s', chart: 'throughput' },
  { key: 'e2eP50Ms', label: 'End-to-end p50', unit: 'ms', chart: 'latency' },
  { key: 'e2eP95Ms', label: 'End-to-end p95', unit: 'ms', chart: 'latency' },
  { key: 'e2eP99Ms', label: 'End-to-end p99', unit: 'ms', chart: 'latency' },
  { key: 'consumerLag', label: 'Consumer lag', unit: 'msg', chart: 'lag' },
  { key: 'consumers', label: 'Consumers', unit: 'consumers', chart: 'lag' },
  { key: 'minIsr', label: 'Smallest ISR', unit: 'replicas', chart: 'replication' },
  { key: 'underReplicated', label: 'Under-replicated', unit: 'partitions', chart: 'replication' },
  { key: 'offline', label: 'Offline', unit: 'partitions', chart: 'replication' },
  { key: 'lostTotal', label: 'Lost (total)', unit: 'msg', chart: 'loss' },
  { key: 'duplicatesTotal', label: 'Delivered twice (total)', unit: 'msg', chart: 'loss' },
  { key: 'rejectedTotal', label: 'Rejected to producer (total)', unit: 'msg', chart: 'loss' },
];

const SALE_COLUMNS: SeriesColumn[] = [
  { key: 'ordersPerSec', label: 'Orders placed', unit: 'orders/s', chart: 'business' },
  { key: 'confirmedPerSec', label: 'Orders confirmed', unit: 'orders/s', chart: 'business' },
  { key: 'rejectedPerSec', label: 'Orders rejected', unit: 'orders/s', chart: 'business' },
  { key: 'orderP99Ms', label: 'Order confirmation p99', unit: 'ms', chart: 'latency' },
  { key: 'oversoldTotal', label: 'Oversold (total)', unit: 'units', chart: 'business' },
  { key: 'stockDivergence', label: 'Stock divergence', unit: 'units', chart: 'business' },
  { key: 'pushDeliveredPerSec', label: 'Pushes delivered', unit: 'push/s', chart: 'business' },
  { key: 'pushBacklog', label: 'Push backlog', unit: 'push', chart: 'business' },
];

const MICROS = 1_000_000;

export class SeriesSampler {
  private readonly recorder: TimeSeriesRecorder;
  private readonly orderLatency = new LogHistogram();
  /** The accounting group's latencies since the last row (it keeps them from the moment this asks). */
  private readonly endToEnd: LogHistogram;
  private previous = { produced: 0, delivered: 0, placed: 0, confirmed: 0, rejected: 0, pushDelivered: 0 };
  private lastSampleUs = 0;

  constructor(
    private readonly sim: Simulation,
    private readonly kafka: KafkaSystem,
    private readonly sale: SaleSystem | null,
    bucketSeconds: number,
    /** Sale-clock seconds at simulated time 0 (0 outside a sale). */
    private readonly clockStartSeconds: number,
  ) {
    this.endToEnd = kafka.group.recentLatencyUs;
    this.recorder = new TimeSeriesRecorder(sale === null ? KAFKA_COLUMNS : [...KAFKA_COLUMNS, ...SALE_COLUMNS], bucketSeconds);
    if (sale !== null) {
      const decided = sale.onDecided;
      sale.onDecided = (latencyUs) => {
        decided(latencyUs);
        this.orderLatency.record(latencyUs);
      };
    }
    sim.onSnapshot(Math.round(bucketSeconds * MICROS), (nowUs) => {
      this.sample(nowUs);
      this.afterBucket(nowUs);
    });
  }

  /** Called after each bucket's row (the optional conservation audit of `--audit` listens). */
  afterBucket: (nowUs: number) => void = () => undefined;

  /** Adds the row of a last, partial bucket if the run stopped between two samples. */
  finish(): TimeSeries {
    if (this.sim.now > this.lastSampleUs) this.sample(this.sim.now);
    return this.recorder.table();
  }

  table(): TimeSeries {
    return this.recorder.table();
  }

  private sample(nowUs: number): void {
    this.kafka.producer.catchUp(); // the driver's arrivals up to now count as produced
    const seconds = (nowUs - this.lastSampleUs) / MICROS;
    this.lastSampleUs = nowUs;
    const perSecond = (now: number, before: number): number => (seconds > 0 ? (now - before) / seconds : 0);
    const totals = this.kafka.ledger.totals();
    const cluster = this.kafka.cluster;
    let minIsr = Infinity;
    let underReplicated = 0;
    let offline = 0;
    for (const partition of cluster.partitions) {
      if (partition.leader < 0) offline++;
      if (partition.isr.length < partition.replicas.length) underReplicated++;
      minIsr = Math.min(minIsr, partition.isr.length);
    }
    const percentile = (histogram: LogHistogram, q: number): number => (histogram.count === 0 ? NaN : histogram.quantile(q) / 1000);
    const row = [
      nowUs / MICROS + this.clockStartSeconds,
      perSecond(totals.produced, this.previous.produced),
      perSecond(totals.delivered, this.previous.delivered),
      percentile(this.endToEnd, 0.5),
      percentile(this.endToEnd, 0.95),
      percentile(this.endToEnd, 0.99),
      this.kafka.group.totalLag(),
      this.kafka.group.members,
      minIsr,
      underReplicated,
      offline,
      totals.lost,
      totals.duplicates,
      totals.rejected,
    ];
    this.previous.produced = totals.produced;
    this.previous.delivered = totals.delivered;
    this.endToEnd.reset();
    const sale = this.sale;
    if (sale !== null) {
      const rejected = sale.ordersRejected();
      row.push(
        perSecond(sale.ordersPlaced, this.previous.placed),
        perSecond(sale.ordersConfirmed, this.previous.confirmed),
        perSecond(rejected, this.previous.rejected),
        percentile(this.orderLatency, 0.99),
        sale.stock.oversold,
        sale.salesNodes.divergence(nowUs),
        perSecond(sale.push.delivered, this.previous.pushDelivered),
        sale.push.waiting,
      );
      this.previous.placed = sale.ordersPlaced;
      this.previous.confirmed = sale.ordersConfirmed;
      this.previous.rejected = rejected;
      this.previous.pushDelivered = sale.push.delivered;
      this.orderLatency.reset();
    }
    this.recorder.push(row);
  }
}
