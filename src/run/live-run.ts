import { ENGINE_VERSION, Simulation } from '../engine';
import type { GatewayRejection } from '../flows/gateway';
import type { SaleSystem } from '../flows/sale-system';
import type { SeriesColumn } from '../metrics/time-series';
import { MessageTracer, type MessageTrace } from '../model/kafka/message-trace';
import type { KafkaSystem } from '../model/kafka/system';
import type { Scenario } from '../scenario';
import { nodeId, prepareKafkaRun, type FaultRecord } from './kafka-run';
import type { KafkaRunResult } from './run-scenario';
import { pickTrace, toLiveTrace, type LiveTrace, type TraceLink } from './live-trace';
import type { SeriesSampler } from './series-sampler';

/**
 * A run that is watched while it happens: the app's worker advances it a little at a time,
 * takes a snapshot for the screen after each step, and injects faults when the trainer clicks.
 *
 * Determinism: a LiveRun builds its system with the same prepareKafkaRun as `runScenario` (a
 * Kafka scenario, or a sale on Kafka) and, with no injected faults, processes exactly the same
 * events, so the trace hashes agree; its time series is the same SeriesSampler table. An injected fault is applied at the
 * current simulated time after every event of that time has run, and recorded with that time; a
 * LiveRun built with the recorded faults (`replay`) advances to each fault's time, injects it the
 * same way and so reproduces the trace hash, whatever the wall-clock slicing of either run was.
 *
 * Nothing here reads a wall clock or touches the DOM: callers pass budgets as `shouldStop`.
 */

/** A fault the trainer can inject while the run is live. */
export type LiveFault =
  | { kind: 'broker-crash'; broker: number }
  | { kind: 'broker-restart'; broker: number }
  | { kind: 'broker-isolate'; broker: number }
  | { kind: 'broker-heal'; broker: number }
  | { kind: 'consumer-kill'; consumer: number }
  | { kind: 'consumer-restart'; consumer: number }
  /** A link between two nodes (`producer`, `broker-N`, `consumer-N`): cut, healed, slowed or back to normal. */
  | { kind: 'link-cut' | 'link-heal' | 'link-normal'; a: string; b: string }
  | { kind: 'link-slow'; a: string; b: string; latencyMs: number };

/** A client link that is not as the scenario made it: cut, or slower than the scenario's latency. */
export interface LiveLinkState {
  a: string;
  b: string;
  cut: boolean;
  slow: boolean;
}

export interface RecordedFault {
  /** Simulated time the fault was applied, µs. */
  atUs: number;
  fault: LiveFault;
}

export type LiveNodeRole = 'producer' | 'broker' | 'consumer' | 'service';
export type LiveNodeStatus = 'up' | 'down' | 'isolated' | 'fenced';

/**
 * One box of the topology, whatever the model: the Kafka view adds brokers and consumers, a
 * sale scenario can add its services (role 'service') with the same fields.
 */
export interface LiveNode {
  /** Stable id used by flows and markers: `producer`, `broker-0`, `consumer-1`, `svc-order`. */
  id: string;
  role: LiveNodeRole;
  /** The model's number for brokers and consumers; 0 otherwise. */
  index: number;
  status: LiveNodeStatus;
}

export interface LiveBroker {
  id: number;
  alive: boolean;
  /** Fenced by the controller (its session expired or it just re-registered). */
  fenced: boolean;
  /** Cut off from more than half of the other brokers. */
  isolated: boolean;
  /** The other brokers this one cannot reach (network cuts). */
  cutFrom: number[];
}

export interface LivePartition {
  id: number;
  /** Broker that leads, -1 when offline. */
  leader: number;
  leaderEpoch: number;
  replicas: number[];
  isr: number[];
  /** Eligible leader replicas (KIP-966): out of the ISR but electable; empty unless kafka.eligibleLeaderReplicas. */
  elr?: number[];
  offline: boolean;
  /** High watermark (the last known one while offline). */
  hw: number;
  /** Log end offset of the leader (of the last leader while offline). */
  leo: number;
  /** Log end offset of each replica, in `replicas` order. */
  replicaLeo: number[];
  /** Consumer the group assigned the partition to, its committed offset and its lag (hw - committed). */
  consumer: number;
  committed: number;
  lag: number;
}

export interface LiveConsumer {
  id: number;
  alive: boolean;
  partitions: number[];
}

export interface LiveCounters {
  produced: number;
  acked: number;
  delivered: number;
  lost: number;
  lostByCause: Record<string, number>;
  rejected: number;
  rejectedByCause: Record<string, number>;
  inFlight: number;
  duplicates: number;
  leaderElections: number;
  uncleanElections: number;
  isrShrinks: number;
  isrExpands: number;
}

/** Messages that crossed one link (all partitions together) since the previous snapshot: what the dots animate. */
export interface LiveFlow {
  /**
   * Node ids, as in `nodes`; a sale's flows also name `users` (the buyers, no node) and
   * `consumers` (the stock service's consumer group as a whole).
   */
  from: string;
  to: string;
  /** In a sale, `admit`: orders into the gateway and on to the order service; `push`: notifications from the stock service to the push service. */
  hop: 'produce' | 'replicate' | 'consume' | 'admit' | 'push';
  messages: number;
}

/**
 * The sale's gateway and push service (their boxes in the topology). Totals are since the
 * start of the run; rates are over the last complete bucket of the time series, like `latest`
 * (0 before the first one), so the gateway's orders per second are the series' `ordersPerSec`.
 */
export interface LiveSale {
  gateway: {
    /** Orders that reached the gateway, those it let through to the order service, and those it refused by reason. */
    placed: number;
    admitted: number;
    refused: Record<GatewayRejection, number>;
    placedPerSec: number;
    admittedPerSec: number;
    refusedPerSec: Record<GatewayRejection, number>;
    /** Orders admitted and still waiting for their stock decision, and the limit above which new ones are shed (null: none). */
    backlog: number;
    maxBacklog: number | null;
    /** Tokens in the bucket now, the bucket's size and its refill rate per second (all null: no rate limit). */
    tokens: number | null;
    burst: number | null;
    rateLimitPerSecond: number | null;
  };
  push: {
    /** Pushes created (order status and promotions), sent (every try), delivered, sent again after a failure, dead-lettered. */
    created: number;
    sent: number;
    delivered: number;
    retried: number;
    deadLettered: number;
    sentPerSec: number;
    deliveredPerSec: number;
    /** Fresh pushes waiting for the throttle, and failed ones waiting for their next try. */
    queued: number;
    retrying: number;
    /** The throttle: sends per second to the push provider. */
    ratePerSecond: number;
  };
}

export type LiveMarkerKind = 'fault' | 'election' | 'offline' | 'isr-shrink' | 'isr-expand' | 'rebalance';

/** Something worth a mark on the timeline. `label` is English; the UI builds its own from the fields. */
export interface LiveMarker {
  /** On the run's clock (µs since the start of the run, like `timeUs`). */
  atUs: number;
  kind: LiveMarkerKind;
  /** Node id (`broker-0`) or partition (`p0`). */
  target: string;
  label: string;
  /** Fault kind for 'fault' markers (scenario faults: broker-crash, isolate-broker...; live: LiveFault kinds). */
  fault?: string;
  /** From the scenario file and not reached yet. */
  scheduled?: boolean;
  /** Partition markers: the leader after the change, and the ISR after it. */
  partition?: number;
  leader?: number;
  isr?: number[];
  /** Election markers: the leader came from the eligible leader replicas (KIP-966). */
  elr?: boolean;
  /** Election markers: leadership went back to the preferred replica (auto leader rebalance). */
  preferred?: boolean;
  /** Rebalance markers: the group's size after it, and why it rebalanced. */
  members?: number;
  reason?: string;
}

/**
 * New rows of the run's time series (the TimeSeries table contract of src/metrics, from the
 * same SeriesSampler as summary.json and timeseries.csv: times are on the sale clock).
 */
export interface LiveSeries {
  bucketSeconds: number;
  columns: readonly SeriesColumn[];
  /** Index of rows[0] in the whole table. */
  firstRow: number;
  rows: number[][];
  /** Rows in the whole table so far. */
  length: number;
}

export interface LiveSnapshot {
  model: 'kafka';
  title: string;
  seed: number;
  /** Simulated time, µs since the start of the run. */
  timeUs: number;
  endUs: number;
  /** Clock seconds at timeUs = 0: the sale clock (0 = midnight) in a sale, else 0. */
  clockStartSeconds: number;
  events: number;
  traceHash: string;
  done: boolean;
  config: { brokers: number; partitions: number; replicationFactor: number; minInsyncReplicas: number; acks: 0 | 1 | 'all'; consumers: number; sale: boolean };
  nodes: LiveNode[];
  brokers: LiveBroker[];
  partitions: LivePartition[];
  consumers: LiveConsumer[];
  /** Producer-broker and broker-consumer links that are cut or slow. */
  links: LiveLinkState[];
  counters: LiveCounters;
  /** The last complete row of the series keyed by column (empty before the first bucket). */
  latest: Record<string, number>;
  series: LiveSeries;
  flows: LiveFlow[];
  markers: LiveMarker[];
  /** Every recorded live fault, applied or still to be replayed. */
  faults: RecordedFault[];
  /** The sale's gateway and push service; null outside a sale. */
  sale: LiveSale | null;
  /** The message the trainer follows (clicked a dot), or null. */
  followed: LiveTrace | null;
}

export interface LiveRunOptions {
  /** Overrides the scenario's seed. */
  seed?: number;
  /** Faults recorded by an earlier run: applied again at their times. */
  replay?: readonly RecordedFault[];
}

export interface AdvanceBudget {
  /** Events per slice between calls to shouldStop (default 2,000). */
  sliceEvents?: number;
  /** Asked between slices; true stops the advance early (the caller's wall-clock budget). */
  shouldStop?: () => boolean;
}

const MICROSECONDS = 1_000_000;
/** ISR and offline changes are detected on a 100 ms grid of simulated time. */
const TICK_US = 100_000;
const MAX_MARKERS = 1_000;
/** The counters a sale's rates come from, in order. */
const SALE_RATES = ['placed', 'admitted', 'rate-limited', 'shed-backlog', 'sent', 'delivered'] as const;

export function isLiveScenario(scenario: Scenario): boolean {
  return scenario.kafka !== undefined;
}

export class LiveRun {
  readonly seed: number;
  readonly endUs: number;
  readonly clockStartSeconds: number;
  private readonly sim: Simulation;
  private readonly system: KafkaSystem;
  private readonly sale: SaleSystem | null;
  private readonly sampler: SeriesSampler;
  private readonly scenarioFaults: FaultRecord[];
  private readonly recorded: RecordedFault[] = [];
  private readonly pendingReplay: RecordedFault[];
  private readonly markers: LiveMarker[] = [];
  private readonly timelineEntries: KafkaRunResult['timeline'] = [];
  private isrShrinks = 0;
  private isrExpands = 0;
  private readonly lastLeader: number[];
  private readonly lastIsr: number[][];
  private readonly lastHw: number[];
  private readonly lastLeo: number[];
  /** For flows: log end offsets [broker][partition] and committed offsets at the previous snapshot. */
  private readonly flowLeo: number[][];
  private readonly flowCommitted: number[];
  /** For a sale's flows: orders placed and admitted, and order-status pushes, at the previous snapshot. */
  private readonly flowSale = { placed: 0, admitted: 0, orderPushes: 0 };
  /** A sale's counters (SALE_RATES order) at the last two bucket ends of the time series, for its rates. */
  private readonly saleTicks: { atUs: number; counts: number[] }[] = [];
  private readonly bucketUs: number;
  private readonly tracer: MessageTracer;
  /** The followed message's trace; the tracer keeps adding its hops while it is in flight. */
  private followed: MessageTrace | null = null;

  constructor(
    readonly scenario: Scenario,
    options: LiveRunOptions = {},
  ) {
    if (scenario.kafka === undefined) throw new Error('the live view runs Kafka scenarios (this one has no kafka section)');
    this.seed = options.seed ?? scenario.seed;
    this.sim = new Simulation(this.seed);
    const prepared = prepareKafkaRun(this.sim, scenario);
    this.system = prepared.system;
    this.sale = prepared.sale;
    this.sampler = prepared.sampler;
    this.scenarioFaults = prepared.faults;
    this.endUs = prepared.endUs;
    this.clockStartSeconds = prepared.clockStartSeconds;
    this.bucketUs = Math.round(this.sampler.table().bucketSeconds * MICROSECONDS);
    this.tracer = new MessageTracer(this.sim, this.system);
    // Faults on nodes this scenario does not have (it was edited since they were recorded) are left out.
    this.pendingReplay = [...(options.replay ?? [])].filter((r) => this.faultProblem(r.fault) === null).sort((a, b) => a.atUs - b.atUs);
    const cluster = this.system.cluster;
    const partitions = cluster.partitions;
    this.lastLeader = partitions.map((p) => p.leader);
    this.lastIsr = partitions.map((p) => [...p.isr]);
    this.lastHw = partitions.map(() => 0);
    this.lastLeo = partitions.map(() => 0);
    this.flowLeo = Array.from({ length: cluster.options.brokers }, () => partitions.map(() => 0));
    this.flowCommitted = partitions.map(() => 0);
    if (this.sale !== null) this.saleTicks.push({ atUs: 0, counts: this.saleCounts() });
    const rebalanced = this.system.group.onRebalance;
    this.system.group.onRebalance = (phase, members, reason, followUp) => {
      rebalanced(phase, members, reason, followUp);
      if (phase === 'start' && !followUp) this.addMarker({ atUs: this.sim.now, kind: 'rebalance', target: 'group', label: `rebalance: ${members} consumers (${reason})`, members, reason });
    };
    const elected = cluster.onLeaderElected;
    cluster.onLeaderElected = (partition, leader, unclean, fromElr, preferredLeader) => {
      elected(partition, leader, unclean, fromElr, preferredLeader);
      const from = this.lastLeader[partition]!;
      this.lastLeader[partition] = leader;
      const elr = fromElr === true;
      const preferred = preferredLeader === true;
      const label = `p${partition} leader ${from >= 0 ? `broker-${from}` : 'offline'} -> broker-${leader}${unclean ? ' (unclean)' : elr ? ' (from ELR)' : preferred ? ' (preferred leader)' : ''}`;
      this.addMarker({
        atUs: this.sim.now,
        kind: 'election',
        target: `p${partition}`,
        label,
        partition,
        leader,
        isr: [...cluster.partitions[partition]!.isr],
        ...(elr ? { elr } : {}),
        ...(preferred ? { preferred } : {}),
      });
      this.timelineEntries.push({
        atMs: this.clockMs(this.sim.now),
        kind: unclean ? 'unclean-election' : elr ? 'elr-election' : preferred ? 'preferred-election' : 'election',
        label: `partition ${partition}: broker ${leader} leads${preferred ? ' again (preferred leader)' : ''}`,
      });
    };
  }

  get now(): number {
    return this.sim.now;
  }

  get done(): boolean {
    return this.sim.now >= this.endUs;
  }

  get events(): number {
    return this.sim.eventsProcessed;
  }

  get bucketSeconds(): number {
    return this.sampler.table().bucketSeconds;
  }

  traceHash(): string {
    return this.sim.traceHash();
  }

  /** Faults injected so far (including replayed ones), in order. */
  get faults(): readonly RecordedFault[] {
    return this.recorded;
  }

  /** Applied faults followed by the recorded ones still to come: what a seek replays. */
  get recording(): RecordedFault[] {
    return [...this.recorded, ...this.pendingReplay].map((r) => ({ atUs: r.atUs, fault: { ...r.fault } }));
  }

  /**
   * Runs events up to `targetUs` (capped at the end of the run), in slices; returns true when
   * the target was reached, false when `shouldStop` ended the advance early.
   */
  advanceTo(targetUs: number, budget: AdvanceBudget = {}): boolean {
    const target = Math.min(Math.max(Math.round(targetUs), this.sim.now), this.endUs);
    const sliceEvents = budget.sliceEvents ?? 2_000;
    for (;;) {
      const nextTick = (Math.floor(this.sim.now / TICK_US) + 1) * TICK_US;
      const replay = this.pendingReplay[0];
      const replayAt = replay !== undefined && replay.atUs <= target ? replay.atUs : Infinity;
      const stop = Math.min(target, nextTick, replayAt);
      if (!this.runSlices(stop, sliceEvents, budget.shouldStop)) return false;
      if (stop === nextTick) this.onTick(stop);
      if (stop === replayAt) {
        this.pendingReplay.shift();
        this.applyFault(replay!.fault);
        continue;
      }
      if (stop === target) return true;
    }
  }

  /** Processes one event (and any recorded fault due at the time reached); for single-stepping. */
  stepEvent(): void {
    const before = this.sim.eventsProcessed;
    while (!this.done && this.sim.eventsProcessed === before) {
      const replay = this.pendingReplay[0];
      if (replay !== undefined && replay.atUs <= this.sim.now) {
        this.advanceTo(this.sim.now);
        continue;
      }
      const nextTick = (Math.floor(this.sim.now / TICK_US) + 1) * TICK_US;
      const limit = Math.min(this.endUs, nextTick, replay?.atUs ?? Infinity);
      const reason = this.sim.run({ untilUs: limit, maxEvents: 1 });
      if (reason === 'until' && limit === nextTick) this.onTick(nextTick);
    }
  }

  /**
   * Applies a fault now (after every event of the current time) and records it, so that a
   * replay with `faults` reproduces this run.
   */
  inject(fault: LiveFault): RecordedFault {
    this.checkFault(fault);
    if (this.done) throw new Error('the run is over; restart it to inject faults');
    // Finish the current instant first, exactly as a replay advancing to this time would.
    this.sim.run({ untilUs: this.sim.now });
    // A newer fault replaces the recorded future: the run forks here.
    this.pendingReplay.length = 0;
    const record = this.applyFault(fault);
    // Apply it now, so that a paused run shows it at once. A replay runs the same events in the
    // same order: everything at this instant comes before anything later either way.
    this.sim.run({ untilUs: this.sim.now });
    return record;
  }

  /** A KafkaRunResult of the run so far, for report/summary.ts (the Export button). */
  result(): KafkaRunResult {
    return {
      scenario: this.scenario,
      seed: this.seed,
      engineVersion: ENGINE_VERSION,
      traceHash: this.sim.traceHash(),
      simulatedSeconds: this.sim.now / MICROSECONDS,
      wallSeconds: 0,
      events: this.sim.eventsProcessed,
      stopReason: this.done ? 'until' : 'paused',
      model: 'kafka',
      system: this.system,
      sale: this.sale,
      faults: [
        ...this.scenarioFaults.filter((fault) => fault.atMs <= this.clockMs(this.sim.now)),
        ...this.recorded.map((r) => ({ atMs: this.clockMs(r.atUs), kind: r.fault.kind, target: faultTarget(r.fault), endedAtMs: null })),
      ].sort((a, b) => a.atMs - b.atMs),
      timeline: this.timelineEntries.map((entry) => ({ ...entry })),
      series: this.sampler.table(),
      clockStartSeconds: this.clockStartSeconds,
      midRunAudit: [],
    };
  }

  /**
   * Follows the newest traced message that crossed the clicked dot's link; returns its id, or
   * null when no traced message crossed it yet (the view then says so).
   */
  follow(link: TraceLink): number | null {
    this.followed = pickTrace(this.tracer.traces(), link) ?? null;
    return this.followed?.id ?? null;
  }

  unfollow(): void {
    this.followed = null;
  }

  private followedTrace(): LiveTrace | null {
    const trace = this.followed;
    return trace === null ? null : toLiveTrace(trace, this.sale === null ? null : this.system.producer.payloadOf(trace.id));
  }

  snapshot(options: { rowsFrom?: number } = {}): LiveSnapshot {
    this.system.producer.catchUp();
    const { cluster, group, ledger, network } = this.system;
    const spec = this.scenario.kafka!;
    const brokerCount = cluster.options.brokers;
    const brokers: LiveBroker[] = [];
    for (let b = 0; b < brokerCount; b++) {
      const cutFrom: number[] = [];
      for (let other = 0; other < brokerCount; other++) if (other !== b && !network.connected(b, other)) cutFrom.push(other);
      const isolated = brokerCount > 1 && cutFrom.length > (brokerCount - 1) / 2;
      brokers.push({ id: b, alive: cluster.isAlive(b), fenced: cluster.isFenced(b), isolated, cutFrom });
    }
    const partitions: LivePartition[] = cluster.partitions.map((state, p) => {
      const offline = state.leader < 0;
      const leo = offline ? this.lastLeo[p]! : cluster.replica(state.leader, p).log.logEndOffset;
      const hw = offline ? this.lastHw[p]! : cluster.highWatermark(p);
      const committed = group.committedOffset(p);
      return {
        id: p,
        leader: state.leader,
        leaderEpoch: state.leaderEpoch,
        replicas: [...state.replicas],
        isr: [...state.isr],
        elr: [...state.elr],
        offline,
        hw,
        leo,
        replicaLeo: state.replicas.map((b) => cluster.replica(b, p).log.logEndOffset),
        consumer: group.assignedConsumer(p),
        committed,
        lag: Math.max(0, hw - committed),
      };
    });
    const consumers: LiveConsumer[] = Array.from({ length: spec.consumers.count }, (_, c) => ({ id: c, alive: group.isAlive(c), partitions: [] as number[] }));
    for (const partition of partitions) consumers[partition.consumer]?.partitions.push(partition.id);
    const nodes: LiveNode[] = [
      { id: 'producer', role: 'producer', index: 0, status: 'up' },
      ...brokers.map(
        (b): LiveNode => ({
          id: `broker-${b.id}`,
          role: 'broker',
          index: b.id,
          status: !b.alive ? 'down' : b.isolated ? 'isolated' : b.fenced ? 'fenced' : 'up',
        }),
      ),
      ...consumers.map((c): LiveNode => ({ id: `consumer-${c.id}`, role: 'consumer', index: c.id, status: c.alive ? 'up' : 'down' })),
      ...(this.sale === null
        ? []
        : [
            { id: 'svc-gateway', role: 'service', index: 0, status: 'up' } satisfies LiveNode,
            { id: 'svc-push', role: 'service', index: 0, status: 'up' } satisfies LiveNode,
          ]),
    ];
    const totals = ledger.totals();
    const table = this.sampler.table();
    const rowsFrom = Math.min(Math.max(0, options.rowsFrom ?? 0), table.rows.length);
    const last = table.rows[table.rows.length - 1];
    const latest: Record<string, number> = {};
    if (last !== undefined) table.columns.forEach((column, j) => (latest[column.key] = last[j]!));
    return {
      model: 'kafka',
      title: this.scenario.title,
      seed: this.seed,
      timeUs: this.sim.now,
      endUs: this.endUs,
      clockStartSeconds: this.clockStartSeconds,
      events: this.sim.eventsProcessed,
      traceHash: this.sim.traceHash(),
      done: this.done,
      config: {
        brokers: brokerCount,
        partitions: cluster.options.partitions,
        replicationFactor: cluster.options.replicationFactor,
        minInsyncReplicas: cluster.options.minInsyncReplicas,
        acks: spec.producer.acks,
        consumers: spec.consumers.count,
        sale: this.sale !== null,
      },
      nodes,
      brokers,
      partitions,
      consumers,
      links: this.clientLinks(),
      counters: {
        produced: totals.produced,
        acked: totals.acked,
        delivered: totals.delivered,
        lost: totals.lost,
        lostByCause: totals.lostByCause,
        rejected: totals.rejected,
        rejectedByCause: totals.rejectedByCause,
        inFlight: totals.inFlight,
        duplicates: totals.duplicates,
        leaderElections: cluster.leaderElections,
        uncleanElections: cluster.uncleanElections,
        isrShrinks: this.isrShrinks,
        isrExpands: this.isrExpands,
      },
      latest,
      series: {
        bucketSeconds: table.bucketSeconds,
        columns: table.columns,
        firstRow: rowsFrom,
        rows: table.rows.slice(rowsFrom).map((row) => [...row]),
        length: table.rows.length,
      },
      flows: this.takeFlows(partitions),
      markers: [...this.markers.map((m) => ({ ...m, ...(m.isr === undefined ? {} : { isr: [...m.isr] }) })), ...this.upcomingFaults()],
      faults: this.recording,
      sale: this.saleSnapshot(),
      followed: this.followedTrace(),
    };
  }

  // ---------------------------------------------------------------- internals

  /** A sale's running counters in SALE_RATES order (read only: nothing here changes the run). */
  private saleCounts(): number[] {
    const sale = this.sale!;
    const push = sale.push;
    return [sale.ordersPlaced, sale.ordersAccepted, sale.gateway.rejected['rate-limited'], sale.gateway.rejected['shed-backlog'], push.delivered + push.retried + push.deadLettered, push.delivered];
  }

  /** The gateway's and push service's numbers now, with rates over the last complete bucket. */
  private saleSnapshot(): LiveSale | null {
    const sale = this.sale;
    if (sale === null) return null;
    const first = this.saleTicks[0]!;
    const last = this.saleTicks[this.saleTicks.length - 1]!;
    const seconds = (last.atUs - first.atUs) / MICROSECONDS;
    const rate = (i: (typeof SALE_RATES)[number]) => {
      const k = SALE_RATES.indexOf(i);
      return seconds > 0 ? (last.counts[k]! - first.counts[k]!) / seconds : 0;
    };
    const { gateway: limits } = sale.options;
    const push = sale.push;
    const finite = (value: number) => (Number.isFinite(value) ? value : null);
    const tokens = sale.gateway.tokens(this.sim.now);
    return {
      gateway: {
        placed: sale.ordersPlaced,
        admitted: sale.ordersAccepted,
        refused: { ...sale.gateway.rejected },
        placedPerSec: rate('placed'),
        admittedPerSec: rate('admitted'),
        refusedPerSec: { 'rate-limited': rate('rate-limited'), 'shed-backlog': rate('shed-backlog') },
        backlog: sale.backlog,
        maxBacklog: finite(limits.maxBacklog),
        tokens,
        burst: tokens === null ? null : limits.burst,
        rateLimitPerSecond: tokens === null ? null : limits.rateLimitPerSecond,
      },
      push: {
        created: push.created,
        sent: push.delivered + push.retried + push.deadLettered,
        delivered: push.delivered,
        retried: push.retried,
        deadLettered: push.deadLettered,
        sentPerSec: rate('sent'),
        deliveredPerSec: rate('delivered'),
        queued: push.queued,
        retrying: push.retrying,
        ratePerSecond: push.options.ratePerSecond,
      },
    };
  }

  /** Sale-clock milliseconds of a run time. */
  private clockMs(timeUs: number): number {
    return timeUs / 1000 + this.clockStartSeconds * 1000;
  }

  /** Run time (µs) of a sale-clock millisecond. */
  private runUs(clockMs: number): number {
    return Math.round(clockMs * 1000 - this.clockStartSeconds * MICROSECONDS);
  }

  private runSlices(untilUs: number, sliceEvents: number, shouldStop: (() => boolean) | undefined): boolean {
    for (;;) {
      const reason = this.sim.run({ untilUs, maxEvents: sliceEvents });
      if (reason !== 'max-events') return true;
      if (shouldStop?.()) return false;
    }
  }

  /** Client links (producer to brokers, brokers to consumers) that are cut or slowed now. */
  private clientLinks(): LiveLinkState[] {
    const { network } = this.system;
    const brokers = this.system.cluster.options.brokers;
    const baseUs = Math.round(this.scenario.kafka!.networkLatencyMs * 1000);
    const links: LiveLinkState[] = [];
    const check = (a: string, b: string) => {
      const [x, y] = [nodeId(a, brokers), nodeId(b, brokers)];
      const cut = !network.connected(x, y);
      const slow = network.latencyUs(x, y) > baseUs;
      if (cut || slow) links.push({ a, b, cut, slow });
    };
    for (let broker = 0; broker < brokers; broker++) {
      check('producer', `broker-${broker}`);
      for (let consumer = 0; consumer < this.system.group.members; consumer++) check(`broker-${broker}`, `consumer-${consumer}`);
    }
    return links;
  }

  private faultProblem(fault: LiveFault): string | null {
    const { brokers } = this.system.cluster.options;
    const consumers = this.scenario.kafka!.consumers.count;
    if ('a' in fault) {
      for (const name of [fault.a, fault.b]) {
        const match = /^(broker|consumer)-(\d+)$/.exec(name);
        const known = name === 'producer' || (match !== null && Number(match[2]) < (match[1] === 'broker' ? brokers : consumers));
        if (!known) return `${name} is not a node of this cluster (producer, broker-0..${brokers - 1}, consumer-0..${consumers - 1})`;
      }
      if (fault.a === fault.b) return 'a link joins two different nodes';
      if (fault.kind === 'link-slow' && !(fault.latencyMs >= 0 && Number.isFinite(fault.latencyMs))) return `latency ${fault.latencyMs} ms is not a duration`;
    }
    if ('broker' in fault && !(Number.isInteger(fault.broker) && fault.broker >= 0 && fault.broker < brokers)) {
      return `broker ${fault.broker} is not in 0..${brokers - 1}`;
    }
    if ('consumer' in fault && !(Number.isInteger(fault.consumer) && fault.consumer >= 0 && fault.consumer < consumers)) {
      return `consumer ${fault.consumer} is not in 0..${consumers - 1}`;
    }
    return null;
  }

  private checkFault(fault: LiveFault): void {
    const problem = this.faultProblem(fault);
    if (problem !== null) throw new Error(problem);
  }

  private applyFault(fault: LiveFault): RecordedFault {
    const now = this.sim.now;
    const system = this.system;
    switch (fault.kind) {
      case 'broker-crash':
        system.crashBrokerAt(now, fault.broker);
        break;
      case 'broker-restart':
        system.restartBrokerAt(now, fault.broker);
        break;
      case 'broker-isolate':
        system.isolateAt(now, fault.broker, true);
        break;
      case 'broker-heal':
        system.isolateAt(now, fault.broker, false);
        break;
      case 'consumer-kill':
        system.crashConsumerAt(now, fault.consumer);
        break;
      case 'consumer-restart':
        system.restartConsumerAt(now, fault.consumer);
        break;
      case 'link-cut':
      case 'link-heal': {
        const brokers = system.cluster.options.brokers;
        system.partitionAt(now, [nodeId(fault.a, brokers)], [nodeId(fault.b, brokers)], fault.kind === 'link-cut');
        break;
      }
      case 'link-slow':
      case 'link-normal': {
        const brokers = system.cluster.options.brokers;
        const latencyMs = fault.kind === 'link-slow' ? fault.latencyMs : this.scenario.kafka!.networkLatencyMs;
        system.linkLatencyAt(now, nodeId(fault.a, brokers), nodeId(fault.b, brokers), Math.round(latencyMs * 1000));
        break;
      }
    }
    const record: RecordedFault = { atUs: now, fault: { ...fault } };
    this.recorded.push(record);
    this.addMarker({ atUs: now, kind: 'fault', target: faultTarget(fault), label: `${fault.kind} ${faultTarget(fault)}`, fault: fault.kind });
    return record;
  }

  private addMarker(marker: LiveMarker): void {
    if (this.markers.length < MAX_MARKERS) this.markers.push(marker);
  }

  /** Every 100 ms of simulated time (after all its events): scenario faults reached, offline partitions, ISR changes. */
  private onTick(nowUs: number): void {
    const cluster = this.system.cluster;
    // Bucket ends are on the 100 ms grid (buckets are whole seconds): read as the sampler reads its row.
    if (this.sale !== null && nowUs % this.bucketUs === 0) {
      this.saleTicks.push({ atUs: nowUs, counts: this.saleCounts() });
      if (this.saleTicks.length > 2) this.saleTicks.shift();
    }
    for (const fault of this.scenarioFaults) {
      const atUs = this.runUs(fault.atMs);
      if (atUs > nowUs - TICK_US && atUs <= nowUs) {
        this.addMarker({ atUs, kind: 'fault', target: fault.target, label: `${fault.kind} ${fault.target}`, fault: fault.kind });
      }
      const endUs = fault.endedAtMs === null ? NaN : this.runUs(fault.endedAtMs);
      if (endUs > nowUs - TICK_US && endUs <= nowUs) {
        const ends = fault.kind === 'isolate-broker' ? 'heal' : 'restart';
        this.addMarker({ atUs: endUs, kind: 'fault', target: fault.target, label: `${ends} ${fault.target}`, fault: ends });
      }
    }
    cluster.partitions.forEach((state, p) => {
      if (state.leader >= 0) {
        this.lastHw[p] = cluster.highWatermark(p);
        this.lastLeo[p] = cluster.replica(state.leader, p).log.logEndOffset;
      } else if (this.lastLeader[p]! >= 0) {
        this.addMarker({ atUs: nowUs, kind: 'offline', target: `p${p}`, label: `p${p} offline`, partition: p, leader: -1, isr: [...state.isr] });
        this.lastLeader[p] = -1;
      }
      const before = this.lastIsr[p]!;
      if (!sameMembers(before, state.isr)) {
        const shrink = state.isr.length < before.length;
        if (shrink) this.isrShrinks++;
        else this.isrExpands++;
        this.addMarker({
          atUs: nowUs,
          kind: shrink ? 'isr-shrink' : 'isr-expand',
          target: `p${p}`,
          label: `p${p} ISR [${before.join(',')}] -> [${state.isr.join(',')}]`,
          partition: p,
          leader: state.leader,
          isr: [...state.isr],
        });
        this.lastIsr[p] = [...state.isr];
      }
    });
  }

  /** Scenario faults and recorded faults not reached yet, so the timeline can show what is coming. */
  private upcomingFaults(): LiveMarker[] {
    const now = this.sim.now;
    const out: LiveMarker[] = [];
    for (const fault of this.scenarioFaults) {
      const atUs = this.runUs(fault.atMs);
      if (atUs > now) out.push({ atUs, kind: 'fault', target: fault.target, label: `${fault.kind} ${fault.target}`, fault: fault.kind, scheduled: true });
      if (fault.endedAtMs !== null && this.runUs(fault.endedAtMs) > now) {
        const ends = fault.kind === 'isolate-broker' ? 'heal' : 'restart';
        out.push({ atUs: this.runUs(fault.endedAtMs), kind: 'fault', target: fault.target, label: `${ends} ${fault.target}`, fault: ends, scheduled: true });
      }
    }
    for (const { atUs, fault } of this.pendingReplay) {
      const target = faultTarget(fault);
      out.push({ atUs, kind: 'fault', target, label: `${fault.kind} ${target}`, fault: fault.kind, scheduled: true });
    }
    return out;
  }

  /**
   * Messages per link since the previous call of flows() or snapshot(): a light message for the
   * dots between two full snapshots.
   */
  flows(): LiveFlow[] {
    const { cluster, group } = this.system;
    return this.takeFlows(
      cluster.partitions.map((state, p) => ({
        id: p,
        leader: state.leader,
        replicas: state.replicas,
        replicaLeo: state.replicas.map((b) => cluster.replica(b, p).log.logEndOffset),
        consumer: group.assignedConsumer(p),
        committed: group.committedOffset(p),
      })),
    );
  }

  /** Messages per link since the previous call (log growth per replica, committed offsets per partition). */
  private takeFlows(partitions: readonly Pick<LivePartition, 'id' | 'leader' | 'replicas' | 'replicaLeo' | 'consumer' | 'committed'>[]): LiveFlow[] {
    const flows = new Map<string, LiveFlow>();
    const add = (from: string, to: string, hop: LiveFlow['hop'], messages: number) => {
      const key = `${from}>${to}`;
      const flow = flows.get(key);
      if (flow === undefined) flows.set(key, { from, to, hop, messages });
      else flow.messages += messages;
    };
    for (const partition of partitions) {
      const p = partition.id;
      partition.replicas.forEach((broker, r) => {
        const leo = partition.replicaLeo[r]!;
        const grown = leo - this.flowLeo[broker]![p]!;
        this.flowLeo[broker]![p] = leo;
        if (grown <= 0) return;
        if (broker === partition.leader) add('producer', `broker-${broker}`, 'produce', grown);
        else if (partition.leader >= 0) add(`broker-${partition.leader}`, `broker-${broker}`, 'replicate', grown);
      });
      const consumed = partition.committed - this.flowCommitted[p]!;
      this.flowCommitted[p] = partition.committed;
      if (consumed > 0 && partition.leader >= 0) add(`broker-${partition.leader}`, `consumer-${partition.consumer}`, 'consume', consumed);
    }
    const sale = this.sale;
    if (sale !== null) {
      const orderPushes = sale.push.created - sale.push.promoted;
      const step = { placed: sale.ordersPlaced, admitted: sale.ordersAccepted, orderPushes };
      if (step.placed > this.flowSale.placed) add('users', 'svc-gateway', 'admit', step.placed - this.flowSale.placed);
      if (step.admitted > this.flowSale.admitted) add('svc-gateway', 'producer', 'admit', step.admitted - this.flowSale.admitted);
      if (step.orderPushes > this.flowSale.orderPushes) add('consumers', 'svc-push', 'push', step.orderPushes - this.flowSale.orderPushes);
      Object.assign(this.flowSale, step);
    }
    return [...flows.values()];
  }
}

export function faultTarget(fault: LiveFault): string {
  if ('a' in fault) return `${fault.a} - ${fault.b}`;
  return 'broker' in fault ? `broker-${fault.broker}` : `consumer-${fault.consumer}`;
}

function sameMembers(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((member, i) => member === b[i]);
}
