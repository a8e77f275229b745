import type { MessageTrace, TraceHop } from '../model/kafka/message-trace';

/**
 * The message a trainer follows in the live view: its envelope and its path through the
 * cluster, each hop with its time and the time spent since the hop before.
 */
export interface LiveTrace {
  id: number;
  partition: number;
  offset: number;
  bytes: number;
  batchRecords: number;
  /** A sale's order: its stock key (SKU and bucket); null outside a sale. */
  stockKey: number | null;
  createdUs: number;
  done: boolean;
  steps: { hop: TraceHop; atUs: number; node: string; sinceUs: number }[];
}

/** The link of a dot the trainer clicked, as in LiveFlow. */
export interface TraceLink {
  from: string;
  to: string;
  hop: 'produce' | 'replicate' | 'consume' | 'admit' | 'push';
}

const BROKER_HOPS: TraceHop[] = ['sent', 'appended', 'replicated', 'committed'];

/** A node id as the live view names it: broker-N for broker hops, consumer-N for the group's. */
function nodeName(hop: TraceHop, node: number): string {
  if (node < 0) return hop === 'created' ? 'producer' : hop === 'acked' ? 'producer' : '';
  return BROKER_HOPS.includes(hop) ? `broker-${node}` : `consumer-${node}`;
}

/**
 * The newest traced message that crossed `link`: sent to that broker, copied to that follower,
 * or fetched by that consumer. A sale's admit and push links, and the group as a whole, take
 * the newest message there is.
 */
export function pickTrace(traces: readonly MessageTrace[], link: TraceLink): MessageTrace | undefined {
  const crossed = (trace: MessageTrace): boolean => {
    const names = trace.steps.map((s) => ({ hop: s.hop, node: nodeName(s.hop, s.node) }));
    switch (link.hop) {
      case 'produce':
        return names.some((s) => s.hop === 'sent' && s.node === link.to);
      case 'replicate':
        return names.some((s) => s.hop === 'appended' && s.node === link.from) && names.some((s) => s.hop === 'replicated' && s.node === link.to);
      case 'consume':
        return link.to === 'consumers' ? names.some((s) => s.hop === 'fetched') : names.some((s) => s.hop === 'fetched' && s.node === link.to);
      default:
        return true;
    }
  };
  let best: MessageTrace | undefined;
  for (const trace of traces) if (crossed(trace) && (best === undefined || trace.id > best.id)) best = trace;
  return best;
}

export function toLiveTrace(trace: MessageTrace, stockKey: number | null): LiveTrace {
  return {
    id: trace.id,
    partition: trace.partition,
    offset: trace.offset,
    bytes: trace.bytes,
    batchRecords: trace.batchRecords,
    stockKey,
    createdUs: trace.steps[0]!.atUs,
    done: trace.done,
    steps: trace.steps.map((step, i) => ({
      hop: step.hop,
      atUs: step.atUs,
      node: nodeName(step.hop, step.node),
      sinceUs: i === 0 ? 0 : step.atUs - trace.steps[i - 1]!.atUs,
    })),
  };
}
