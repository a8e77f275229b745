import { z } from 'zod';

/**
 * What a scenario may state it expects, checked by `run` (exit 3 when missed). Each metric
 * takes three keys: `lost: 0` (exactly), `lostMin: 1`, `lostMax: 10`. The values are read
 * from summary.json (report/expectations.ts says where each comes from).
 */
export const EXPECT_METRICS = {
  produced: 'messages produced',
  delivered: 'messages delivered',
  lost: 'messages lost',
  rejected: 'messages rejected to the producer',
  duplicates: 'messages delivered more than once',
  inFlight: 'messages in flight at the end',
  oversold: 'units confirmed beyond stock',
  processedTwice: 'orders whose stock was deducted twice',
  ordersLost: 'admitted orders lost without a decision',
  ordersAccepted: 'orders admitted by the gateway',
  ordersRejected: 'orders turned away, for any reason',
  stockDivergenceMax: 'largest sales-node stock divergence, units',
  pushDelivered: 'pushes delivered',
  pushDeadLettered: 'pushes sent to the dead-letter topic',
  p99OrderMs: 'p99 order confirmation latency, ms',
  p99EndToEndMs: 'p99 end-to-end message latency, ms',
  p99ProduceMs: 'p99 produce (acknowledgement) latency, ms',
  p99PushMs: 'p99 push latency, ms',
  maxConsumerLag: 'largest consumer lag, messages',
  leaderElections: 'leader elections',
  uncleanElections: 'unclean leader elections',
  elrElections: 'leaders elected from the eligible leader replicas (KIP-966)',
  preferredElections: 'leaderships moved back to the preferred replica (auto.leader.rebalance.enable)',
  reorderedBatches: 'record batches appended behind a later batch (per-key order broken)',
  recordsPerBatch: 'mean records per record batch sent',
  sloBreaches: 'SLO breaches',
} as const;

export type ExpectMetric = keyof typeof EXPECT_METRICS;
export const EXPECT_BOUNDS = ['', 'Min', 'Max'] as const;

const shape: Record<string, z.ZodOptional<z.ZodNumber>> = {};
for (const [metric, what] of Object.entries(EXPECT_METRICS)) {
  shape[metric] = z.number().optional().describe(`${what}: exactly this`);
  shape[`${metric}Min`] = z.number().optional().describe(`${what}: at least this`);
  shape[`${metric}Max`] = z.number().optional().describe(`${what}: at most this`);
}

export const expectSchema = z.strictObject(shape).describe('what the run must show; `run` exits 3 when one is missed');
export type ExpectSpec = Partial<Record<string, number>>;

/** The measures an SLO can watch, each evaluated per time bucket. */
export const SLO_METRICS = ['p99OrderMs', 'p99EndToEndMs', 'consumerLag', 'oversold', 'stockDivergence', 'pushBacklog', 'underReplicated', 'offline'] as const;
export type SloMetric = (typeof SLO_METRICS)[number];

export const sloSchema = z
  .strictObject({
    metric: z.enum(SLO_METRICS).describe('what to watch, per time bucket'),
    max: z.number().min(0).describe('breached in a bucket where the value is above this'),
    name: z.string().optional().describe('a name for reports; the metric and bound if absent'),
  })
  .describe('a service-level objective checked in every time bucket');
export type SloSpec = z.output<typeof sloSchema>;
