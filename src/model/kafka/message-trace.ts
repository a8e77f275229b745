import type { Simulation } from '../../engine';
import type { KafkaSystem } from './system';

/**
 * Follows a few messages through the cluster, hop by hop, for the live view's "follow this
 * dot": when each was created, sent in a batch, appended by the leader, copied by each
 * follower, committed (below the high watermark), acknowledged, fetched by a consumer and
 * processed. It only listens to the system's hooks: a run traced or not is the same run.
 *
 * Tracing a message costs a check per batch and per high-watermark move while it is
 * watched; at most `capacity` messages are watched at once and the last `keep` finished
 * traces are kept.
 */
export type TraceHop = 'created' | 'sent' | 'appended' | 'replicated' | 'committed' | 'acked' | 'fetched' | 'processed';

export interface TraceStep {
  hop: TraceHop;
  atUs: number;
  /** The broker (sent, appended, replicated) or consumer (fetched, processed) involved, or -1. */
  node: number;
}

export interface MessageTrace {
  id: number;
  partition: number;
  /** Records in the batch that carried it (the first try). */
  batchRecords: number;
  /** Its offset in the partition log, -1 until the leader appends it. */
  offset: number;
  bytes: number;
  steps: TraceStep[];
  /** Processed by the group: nothing more will happen to it. */
  done: boolean;
}

export class MessageTracer {
  private readonly active: MessageTrace[] = [];
  private readonly finished: MessageTrace[] = [];

  constructor(
    private readonly sim: Simulation,
    private readonly system: KafkaSystem,
    private readonly capacity = 24,
    private readonly keep = 64,
  ) {
    const { producer, cluster, group } = system;
    const sent = producer.onBatchSent;
    producer.onBatchSent = (firstId, count, partition, broker) => {
      sent(firstId, count, partition, broker);
      this.onSent(firstId, count, partition, broker);
    };
    const acked = producer.onBatchAcked;
    producer.onBatchAcked = (firstId, count) => {
      acked(firstId, count);
      this.step(firstId, count, 'acked', -1);
    };
    const appended = cluster.onAppend;
    cluster.onAppend = (broker, partition, firstId, count, baseOffset, leader) => {
      appended(broker, partition, firstId, count, baseOffset, leader);
      this.onAppend(broker, firstId, count, baseOffset, leader);
    };
    const highWatermark = cluster.onHighWatermark;
    cluster.onHighWatermark = (partition) => {
      highWatermark(partition);
      this.onHighWatermark(partition);
    };
    const fetched = group.onFetched;
    group.onFetched = (consumer, firstId, count) => {
      fetched(consumer, firstId, count);
      this.step(firstId, count, 'fetched', consumer);
    };
    const delivered = group.onDelivered;
    group.onDelivered = (id, partition, endToEndUs) => {
      delivered?.(id, partition, endToEndUs);
      this.onProcessed(id);
    };
  }

  /** Traces being followed and the latest finished ones, newest first. */
  traces(): MessageTrace[] {
    return [...this.active, ...this.finished].sort((a, b) => b.id - a.id);
  }

  /** A new batch goes out: its first message is watched when there is room. */
  private onSent(firstId: number, count: number, partition: number, broker: number): void {
    this.step(firstId, count, 'sent', broker);
    if (this.active.length >= this.capacity || this.active.some((t) => t.id >= firstId && t.id < firstId + count)) return;
    const { ledger, cluster } = this.system;
    this.active.push({
      id: firstId,
      partition,
      batchRecords: count,
      offset: -1,
      bytes: cluster.messageBytes,
      steps: [
        { hop: 'created', atUs: ledger.createdAtUs(firstId), node: -1 },
        { hop: 'sent', atUs: this.now, node: broker },
      ],
      done: false,
    });
  }

  private get now(): number {
    return this.sim.now;
  }

  private onAppend(broker: number, firstId: number, count: number, baseOffset: number, leader: boolean): void {
    for (const trace of this.active) {
      if (trace.id < firstId || trace.id >= firstId + count) continue;
      if (leader) trace.offset = baseOffset + (trace.id - firstId);
      trace.steps.push({ hop: leader ? 'appended' : 'replicated', atUs: this.now, node: broker });
    }
  }

  private onHighWatermark(partition: number): void {
    const highWatermark = this.system.cluster.highWatermark(partition);
    for (const trace of this.active) {
      if (trace.partition !== partition || trace.offset < 0 || trace.offset >= highWatermark) continue;
      if (trace.steps.some((s) => s.hop === 'committed')) continue;
      trace.steps.push({ hop: 'committed', atUs: this.now, node: this.system.cluster.partitions[partition]!.leader });
    }
  }

  private step(firstId: number, count: number, hop: TraceHop, node: number): void {
    for (const trace of this.active) {
      if (trace.id >= firstId && trace.id < firstId + count) trace.steps.push({ hop, atUs: this.now, node });
    }
  }

  private onProcessed(id: number): void {
    const index = this.active.findIndex((t) => t.id === id);
    if (index < 0) return;
    const trace = this.active[index]!;
    const fetch = [...trace.steps].reverse().find((s) => s.hop === 'fetched');
    trace.steps.push({ hop: 'processed', atUs: this.now, node: fetch?.node ?? -1 });
    trace.done = true;
    this.active.splice(index, 1);
    this.finished.unshift(trace);
    if (this.finished.length > this.keep) this.finished.pop();
  }
}
