import { z } from 'zod';
import { trafficSchema } from './traffic-schema';

/**
 * The `sale` section: the Double 12 flows on top of the `kafka` section's cluster. Times are
 * on the sale clock, seconds relative to midnight (negative before it), and so are the
 * kafka section's fault times in a sale scenario. Defaults follow the common architecture of
 * shared/reference/mq-semantics.md §4.3.
 */
const gatewaySchema = z
  .strictObject({
    rateLimitPerSecond: z.number().positive().optional().describe('token-bucket rate of admitted orders, orders per second; no limit if absent'),
    burst: z.int().min(1).default(10_000).describe('token-bucket size: orders admitted at once above the rate (default 10,000)'),
    maxBacklog: z
      .int()
      .min(1)
      .optional()
      .describe('shed new orders while this many admitted orders wait for their stock decision; no shedding if absent'),
  })
  .describe('admission control at the gateway');

const stockSchema = z
  .strictObject({
    unitsPerItem: z.int().min(0).default(1_000).describe('units in stock per SKU at the start (default 1,000)'),
    buckets: z
      .int()
      .min(1)
      .max(1_024)
      .default(1)
      .describe('stock keys per SKU (hot-item bucketing): orders go to bucket user mod buckets, keyed and deducted per bucket (default 1)'),
    deduction: z
      .enum(['atomic', 'read-then-write'])
      .default('atomic')
      .describe('atomic conditional decrement (never oversells) or read at start, write at end (a lost-update race)'),
    idempotent: z.boolean().default(true).describe('skip an order id already processed (dedupe), so redelivery does not deduct twice'),
    unpaidFraction: z.number().min(0).max(1).default(0).describe('share of confirmed orders never paid, whose unit comes back after the timeout'),
    paymentTimeoutSeconds: z.number().positive().default(1_800).describe('delayed cancellation of an unpaid order, seconds (default 30 min)'),
  })
  .describe('the stock service: the orders topic\'s consumer group');

const salesNodesSchema = z
  .strictObject({
    count: z.int().min(1).max(64).default(4).describe('sales nodes keeping a stock view (default 4)'),
    applyMicros: z
      .union([z.number().positive(), z.array(z.number().positive()).min(1)])
      .default(1)
      .describe('time for a node to apply one stock change, microseconds: one value for all, or one per node'),
    networkLatencyMs: z.number().min(0).default(1).describe('delay from the stock service to a node, milliseconds (default 1)'),
  })
  .describe('the sales nodes whose stock views follow the stock changes');

const pushSchema = z
  .strictObject({
    ratePerSecond: z.number().positive().default(50_000).describe('throttle of the push provider, pushes per second (default 50,000)'),
    failureProbability: z.number().min(0).max(1).default(0.01).describe('chance that one send fails (default 0.01)'),
    maxAttempts: z.int().min(1).max(20).default(3).describe('tries before a push goes to the dead-letter topic (default 3)'),
    retryDelaySeconds: z.number().min(0).default(5).describe('wait in the retry topic before the next try, seconds (default 5)'),
    promotion: z
      .strictObject({
        atSeconds: z.number().describe('when the campaign is sent, sale clock seconds'),
        users: z.int().min(1).max(1_000_000_000).describe('users the promotion is pushed to'),
      })
      .optional()
      .describe('a promotion campaign fanned out to users at one moment'),
  })
  .describe('the push service: order-status notifications first, promotions with what capacity is left');

export const saleSchema = z
  .strictObject({
    traffic: trafficSchema,
    keyBy: z.enum(['sku', 'user']).default('sku').describe('the orders topic\'s message key: the SKU (per-item order) or the user'),
    drainSeconds: z.number().min(0).default(60).describe('how long the run goes on after traffic stops, seconds (default 60)'),
    gateway: gatewaySchema.prefault({}),
    stock: stockSchema.prefault({}),
    salesNodes: salesNodesSchema.prefault({}),
    push: pushSchema.prefault({}),
  })
  .describe('a flash sale on the kafka section\'s cluster: traffic, gateway, stock, sales nodes and push');

export type SaleSpec = z.output<typeof saleSchema>;
