import { assert } from '../../engine';

/**
 * What a broker spends on a write: CPU per request and per byte, and the disk's write time
 * for the bytes (shared/reference/mq-semantics.md §3: throughput follows bytes, and a disk or
 * request handler at its limit queues). Each broker serves writes one after another, so a
 * broker is a single-server FIFO queue computed arithmetically: a write's done time is
 * max(now, the previous write's done time) + its cost. No events; a broker at full load
 * makes its acknowledgements (leader) and its fetches (follower) wait.
 *
 * All costs default to zero, which leaves the model as it was: the network and the
 * consumers are then the only delays. A slow disk (a fault) multiplies the disk time.
 */
export interface BrokerResourceOptions {
  requestCpuUs: number;
  cpuNsPerByte: number;
  /** Disk write throughput, MB/s (1 MB = 10^6 bytes); Infinity for a disk that costs nothing. */
  diskMBps: number;
  /** NIC bandwidth of every node (brokers and clients), MB/s; Infinity or absent for none (network.ts). */
  nicMBps?: number;
}

export const NO_COSTS: BrokerResourceOptions = { requestCpuUs: 0, cpuNsPerByte: 0, diskMBps: Infinity };

export class BrokerResources {
  private readonly busyUntilUs: Float64Array;
  private readonly diskSlowdown: Float64Array;
  /** No costs at all: every write is done the moment it arrives. */
  readonly free: boolean;

  constructor(
    brokers: number,
    readonly options: BrokerResourceOptions,
  ) {
    assert(options.requestCpuUs >= 0 && options.cpuNsPerByte >= 0 && options.diskMBps > 0, 'broker costs must be >= 0 and disk throughput > 0');
    this.busyUntilUs = new Float64Array(brokers);
    this.diskSlowdown = new Float64Array(brokers).fill(1);
    this.free = options.requestCpuUs === 0 && options.cpuNsPerByte === 0 && options.diskMBps === Infinity;
  }

  /** The broker writes `bytes` now: when it is done (whole µs, at least now). */
  serve(broker: number, nowUs: number, bytes: number): number {
    if (this.free) return nowUs;
    const diskUs = this.options.diskMBps === Infinity ? 0 : (bytes / this.options.diskMBps) * this.diskSlowdown[broker]!;
    const costUs = this.options.requestCpuUs + (bytes * this.options.cpuNsPerByte) / 1000 + diskUs;
    const doneUs = Math.ceil(Math.max(nowUs, this.busyUntilUs[broker]!) + costUs);
    this.busyUntilUs[broker] = doneUs;
    return doneUs;
  }

  /** A slow disk: its write time multiplied by `factor` (1 is back to normal). */
  setDiskSlowdown(broker: number, factor: number): void {
    assert(factor > 0, () => `a disk slowdown factor must be > 0, got ${factor}`);
    this.diskSlowdown[broker] = factor;
  }
}
