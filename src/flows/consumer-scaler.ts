import type { Simulation } from '../engine';
import type { ConsumerGroup, RebalanceProtocol } from '../model/kafka/consumer-group';

/**
 * Scales a consumer group during a sale, as operators do: planned steps (pre-scaling before
 * midnight) and, optionally, scale-out while the lag stays above a threshold. Every change is
 * a rebalance, with its pause; a change asked for during a rebalance waits for the next check.
 */
export interface ScalerOptions {
  protocol: RebalanceProtocol;
  pauseUs: number;
  max: number;
  scaleAt: { atUs: number; count: number }[];
  onLag: { above: number; forUs: number; step: number } | null;
}

const CHECK_EVERY_US = 1_000_000;
const RETRY_US = 100_000;

export class ConsumerScaler {
  private highSinceUs = -1;

  constructor(
    private readonly sim: Simulation,
    private readonly group: ConsumerGroup,
    private readonly options: ScalerOptions,
  ) {
    const planned = sim.defineEvent('scaling/planned', (count) => {
      // A planned step that falls in a rebalance is taken once that one is over.
      if (this.group.rebalancing) sim.schedule(RETRY_US, planned, count);
      else this.scaleTo(count);
    });
    for (const step of options.scaleAt) sim.scheduleAt(step.atUs, planned, Math.min(step.count, options.max));
    if (options.onLag !== null) {
      const check = sim.timer(sim.defineEvent('scaling/lag-check', () => {
        this.checkLag();
        check.armIn(CHECK_EVERY_US);
      }));
      check.armIn(CHECK_EVERY_US);
    }
  }

  private scaleTo(count: number): void {
    if (this.group.rebalancing) return;
    this.group.rebalance(count, this.options.protocol, this.options.pauseUs);
  }

  private checkLag(): void {
    const rule = this.options.onLag!;
    if (this.group.totalLag() <= rule.above) {
      this.highSinceUs = -1;
      return;
    }
    if (this.highSinceUs < 0) this.highSinceUs = this.sim.now;
    if (this.sim.now - this.highSinceUs < rule.forUs || this.group.members >= this.options.max || this.group.rebalancing) return;
    this.scaleTo(Math.min(this.options.max, this.group.members + rule.step));
    this.highSinceUs = -1;
  }
}
