import { assert, makeSampler, type DistributionSpec, type Simulation } from '../../engine';
import { LogHistogram } from '../../metrics/histogram';
import { RateMeter } from '../../metrics/rate-meter';
import { FifoLine } from './fifo-line';

/**
 * A multi-server FIFO queueing station fed by a Poisson source: M/G/c. With exponential
 * service it is M/M/c, with constant service M/D/1. It is the teaching model of queueing
 * theory and the proof that the kernel's numbers can be trusted (test/integration).
 *
 * Customers are numbered in arrival order. The first `warmupCustomers` are not measured, so
 * the start from an empty system does not bias the estimates; the measured ones fall into
 * `batches` consecutive batches by arrival index (the batch-means method, Law & Kelton ch. 9).
 */
export interface StationOptions {
  servers: number;
  arrivalRatePerSecond: number;
  serviceSeconds: DistributionSpec;
  customers: number;
  warmupCustomers: number;
  batches: number;
}

/** Per-batch sums from which confidence intervals are built. */
export interface BatchStats {
  sojournSecondsSum: Float64Array;
  waitSecondsSum: Float64Array;
  /** ∫ N(t) dt in customer·seconds over the batch's arrival window. */
  customerSecondsInSystem: Float64Array;
  windowSeconds: Float64Array;
  sojournHistograms: LogHistogram[];
  batchSize: number;
}

export interface StationResult {
  arrived: number;
  departed: number;
  inSystem: number;
  measuredDeparted: number;
  sojournUs: LogHistogram;
  waitUs: LogHistogram;
  arrivalsPerSecond: RateMeter;
  departuresPerSecond: RateMeter;
  serviceUs: LogHistogram;
  batches: BatchStats;
  /** Time-average number in system and the arrival rate over the measured arrival window. */
  measuredWindowSeconds: number;
  measuredCustomerSeconds: number;
  measuredArrivals: number;
}

const MICROSECONDS_PER_SECOND = 1_000_000;

export class QueueStation {
  private readonly line = new FifoLine();
  private busyServers = 0;
  private arrived = 0;
  private departed = 0;
  private measuredDeparted = 0;
  private readonly sojournUs = new LogHistogram();
  private readonly waitUs = new LogHistogram();
  private readonly serviceUs = new LogHistogram();
  private readonly arrivalsPerSecond = new RateMeter();
  private readonly departuresPerSecond = new RateMeter();
  private readonly batches: BatchStats;
  // ∫ N(t) dt, advanced at every change of N.
  private areaCustomerUs = 0;
  private areaUpdatedUs = 0;
  private batchStartAreaCustomerUs = 0;
  private batchStartUs = 0;
  private currentBatch = -1;
  private readonly arrivalKind: number;
  private readonly departureKind: number;
  private readonly nextInterarrivalSeconds: () => number;
  private readonly nextServiceSeconds: () => number;

  constructor(
    private readonly sim: Simulation,
    private readonly options: StationOptions,
  ) {
    assert(options.servers >= 1 && Number.isInteger(options.servers), 'servers must be a positive integer');
    assert(options.arrivalRatePerSecond > 0, 'arrival rate must be > 0');
    assert(options.batches >= 2 && options.customers >= options.batches, 'need at least 2 batches with customers in each');
    const batchSize = Math.floor(options.customers / options.batches);
    this.batches = {
      sojournSecondsSum: new Float64Array(options.batches),
      waitSecondsSum: new Float64Array(options.batches),
      customerSecondsInSystem: new Float64Array(options.batches),
      windowSeconds: new Float64Array(options.batches),
      sojournHistograms: Array.from({ length: options.batches }, () => new LogHistogram()),
      batchSize,
    };
    this.nextInterarrivalSeconds = makeSampler(
      { kind: 'exponential', mean: 1 / options.arrivalRatePerSecond },
      sim.stream('station/arrivals'),
    );
    this.nextServiceSeconds = makeSampler(options.serviceSeconds, sim.stream('station/service'));
    this.arrivalKind = sim.defineEvent('arrival', (customer) => this.onArrival(customer));
    this.departureKind = sim.defineEvent('departure', (customer, arrivalUs) => this.onDeparture(customer, arrivalUs));
  }

  /**
   * Warm-up, the measured batches (customers rounded down to a multiple of batches), and one
   * more arrival whose only role is to close the last batch's time window.
   */
  get totalCustomers(): number {
    return this.options.warmupCustomers + this.options.batches * this.batches.batchSize + 1;
  }

  start(): void {
    this.sim.schedule(toMicroseconds(this.nextInterarrivalSeconds()), this.arrivalKind, 0);
  }

  private onArrival(customer: number): void {
    this.advanceArea();
    this.arrived++;
    this.arrivalsPerSecond.record(this.sim.now);
    this.markBatchBoundary(customer);
    if (this.busyServers < this.options.servers) this.startService(customer, this.sim.now);
    else this.line.push(customer, this.sim.now);
    if (this.arrived < this.totalCustomers) {
      this.sim.schedule(toMicroseconds(this.nextInterarrivalSeconds()), this.arrivalKind, customer + 1);
    }
  }

  private onDeparture(customer: number, arrivalUs: number): void {
    this.advanceArea();
    this.departed++;
    this.departuresPerSecond.record(this.sim.now);
    this.busyServers--;
    const batch = this.batchOf(customer);
    if (batch >= 0) {
      const sojournUs = this.sim.now - arrivalUs;
      this.sojournUs.record(sojournUs);
      this.batches.sojournSecondsSum[batch]! += sojournUs / MICROSECONDS_PER_SECOND;
      this.batches.sojournHistograms[batch]!.record(sojournUs);
      this.measuredDeparted++;
    }
    if (this.line.length > 0) {
      const next = this.line.shift();
      this.startService(next, this.line.shiftedArrivalUs);
    }
    // The run is over when the last customer leaves; pausing keeps a later --until from
    // adding idle time that would dilute the per-second rates.
    if (this.departed === this.totalCustomers) this.sim.pause();
  }

  private startService(customer: number, arrivalUs: number): void {
    this.busyServers++;
    const serviceUs = toMicroseconds(this.nextServiceSeconds());
    const batch = this.batchOf(customer);
    if (batch >= 0) {
      const waitUs = this.sim.now - arrivalUs;
      this.waitUs.record(waitUs);
      this.serviceUs.record(serviceUs);
      this.batches.waitSecondsSum[batch]! += waitUs / MICROSECONDS_PER_SECOND;
    }
    this.sim.schedule(serviceUs, this.departureKind, customer, arrivalUs);
  }

  /** Batch of a measured customer by arrival index; -1 for warm-up and the leftover tail. */
  private batchOf(customer: number): number {
    const index = customer - this.options.warmupCustomers;
    if (index < 0) return -1;
    const batch = Math.floor(index / this.batches.batchSize);
    return batch < this.options.batches ? batch : -1;
  }

  /** Closes the time window of the previous batch when the first customer of a batch arrives. */
  private markBatchBoundary(customer: number): void {
    const index = customer - this.options.warmupCustomers;
    if (index < 0 || index % this.batches.batchSize !== 0) return;
    const batch = index / this.batches.batchSize;
    if (batch > this.options.batches) return;
    if (this.currentBatch >= 0) {
      this.batches.customerSecondsInSystem[this.currentBatch] =
        (this.areaCustomerUs - this.batchStartAreaCustomerUs) / MICROSECONDS_PER_SECOND;
      this.batches.windowSeconds[this.currentBatch] = (this.sim.now - this.batchStartUs) / MICROSECONDS_PER_SECOND;
    }
    this.currentBatch = batch < this.options.batches ? batch : -1;
    this.batchStartAreaCustomerUs = this.areaCustomerUs;
    this.batchStartUs = this.sim.now;
  }

  private advanceArea(): void {
    const inSystem = this.arrived - this.departed;
    this.areaCustomerUs += inSystem * (this.sim.now - this.areaUpdatedUs);
    this.areaUpdatedUs = this.sim.now;
  }

  result(): StationResult {
    const windows = this.batches.windowSeconds;
    let measuredWindowSeconds = 0;
    let measuredCustomerSeconds = 0;
    let closedBatches = 0;
    for (let b = 0; b < windows.length; b++) {
      if (windows[b]! <= 0) continue;
      measuredWindowSeconds += windows[b]!;
      measuredCustomerSeconds += this.batches.customerSecondsInSystem[b]!;
      closedBatches++;
    }
    return {
      arrived: this.arrived,
      departed: this.departed,
      inSystem: this.arrived - this.departed,
      measuredDeparted: this.measuredDeparted,
      sojournUs: this.sojournUs,
      waitUs: this.waitUs,
      serviceUs: this.serviceUs,
      arrivalsPerSecond: this.arrivalsPerSecond,
      departuresPerSecond: this.departuresPerSecond,
      batches: this.batches,
      measuredWindowSeconds,
      measuredCustomerSeconds,
      measuredArrivals: closedBatches * this.batches.batchSize,
    };
  }
}

function toMicroseconds(seconds: number): number {
  return Math.round(seconds * MICROSECONDS_PER_SECOND);
}
