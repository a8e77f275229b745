import { assert } from '../../engine';

/**
 * Kafka's classic-protocol client partition assignors (Kafka 4.x `partition.assignment.strategy`),
 * written from their documented behaviour (shared/reference/mq-semantics.md §1.8 and the Kafka
 * javadoc of RangeAssignor, RoundRobinAssignor, StickyAssignor and CooperativeStickyAssignor).
 *
 * `assign` is a pure function of its arguments: members are sorted by memberId, topics and
 * partitions by (topic, partition) before anything is decided, so the order of `members`, of
 * `topics` and of `ownedPartitions` never changes the result. Strings compare by UTF-16 code
 * unit (like Java's String.compareTo), never by locale.
 *
 * Input rules:
 * - Duplicate member ids, partition counts that are not non-negative integers, and owned
 *   partitions whose number is not a non-negative integer throw an Error.
 * - A subscription to a topic missing from `partitionsPerTopic` is ignored (the member is
 *   treated as not subscribed to it), as the Kafka client does for topics absent from metadata.
 * - Owned partitions that no longer exist (unknown topic, partition number out of range) or
 *   that the member no longer subscribes to give it no stickiness. A partition claimed by two
 *   or more members is an invalid state (Kafka: two claims in the same generation; QueueLab has
 *   no generations) and gives stickiness to none of them.
 *
 * Protocols. range, roundrobin and sticky use the EAGER protocol: every member revokes all its
 * partitions when it joins the rebalance, so the caller must treat them as revoke-all; their
 * `revokedByMember` is empty for every member. cooperative-sticky uses the COOPERATIVE protocol
 * (KIP-429): see `assign`.
 */

export interface TopicPartition {
  topic: string;
  partition: number;
}

export interface MemberSubscription {
  memberId: string;
  topics: readonly string[];
  /** What the member owned before this rebalance; empty for eager protocols and new members. */
  ownedPartitions: readonly TopicPartition[];
}

export interface AssignmentResult {
  /** Every member is a key; each list is sorted by (topic, partition). Do not rely on key order. */
  byMember: Record<string, TopicPartition[]>;
  /** partitions each member must revoke before they can be reassigned (cooperative only) */
  revokedByMember: Record<string, TopicPartition[]>;
}

export type AssignorName = 'range' | 'roundrobin' | 'sticky' | 'cooperative-sticky';

export const ASSIGNOR_NAMES: readonly AssignorName[] = ['range', 'roundrobin', 'sticky', 'cooperative-sticky'];

/** Orders by topic (UTF-16 code units), then by partition number. */
export function compareTopicPartitions(a: TopicPartition, b: TopicPartition): number {
  if (a.topic !== b.topic) return a.topic < b.topic ? -1 : 1;
  return a.partition - b.partition;
}

/**
 * Assigns the partitions of every subscribed topic to the members of one consumer group.
 *
 * - `range`: per topic, the subscribed members sorted by memberId each get a contiguous range;
 *   the first (P mod C) members get one extra partition.
 * - `roundrobin`: all subscribed partitions sorted by (topic, partition) are dealt to the members
 *   sorted by memberId, in a circle that skips members not subscribed to the partition's topic.
 * - `sticky`: as balanced as possible (the partition counts minimise the sum of squares, so
 *   members with identical subscriptions differ by at most one, and no member with 2+ fewer
 *   partitions than another could take one of that member's partitions), and among those
 *   balanced assignments one that keeps the largest number of valid owned partitions.
 * - `cooperative-sticky`: computes the same target as `sticky`, but a partition that moves from
 *   member A (which still owns it) to member B is not given to B in this rebalance: it is listed
 *   in `revokedByMember[A]` and left out of `byMember`. A then revokes it and the caller runs a
 *   second rebalance (KIP-429 two-phase) in which A no longer owns it and B gets it; that second
 *   rebalance revokes nothing and ends in the target of the first. Partitions whose previous
 *   owner left the group are given to their new owner at once. `revokedByMember[X]` is exactly
 *   X's owned partitions minus `byMember[X]`, including owned partitions of topics X no longer
 *   subscribes to or that no longer exist; the caller should start the second rebalance when any
 *   list is non-empty.
 */
export function assign(
  name: AssignorName,
  members: readonly MemberSubscription[],
  partitionsPerTopic: Readonly<Record<string, number>>,
): AssignmentResult {
  if (!ASSIGNOR_NAMES.includes(name)) {
    throw new Error(`unknown assignor '${String(name)}'; expected one of ${ASSIGNOR_NAMES.join(', ')}`);
  }
  const problem = buildProblem(members, partitionsPerTopic);
  switch (name) {
    case 'range':
      return eagerResult(problem, assignRange(problem));
    case 'roundrobin':
      return eagerResult(problem, assignRoundRobin(problem));
    case 'sticky':
      return eagerResult(problem, stickyTarget(problem));
    case 'cooperative-sticky':
      return cooperativeResult(problem, stickyTarget(problem));
  }
}

// ---------------------------------------------------------------------------------------------
// Validated input. Members are referred to by their index in the sorted `memberIds`; partitions
// by their index in the sorted `universe` (every partition of every topic with a subscriber).

const NO_MEMBER = -1;

interface TopicRange {
  topic: string;
  /** Universe index of partition 0 of this topic. */
  base: number;
  count: number;
  /** Indices of the subscribed members, ascending (so sorted by memberId). */
  subscribers: readonly number[];
}

interface Problem {
  memberIds: readonly string[];
  /** Per member: its subscribed topics that exist in partitionsPerTopic, sorted and unique. */
  topicsByMember: readonly (readonly string[])[];
  topicSetByMember: readonly ReadonlySet<string>[];
  /** Topics with at least one subscriber, sorted. */
  topics: readonly TopicRange[];
  topicByName: ReadonlyMap<string, TopicRange>;
  universe: readonly TopicPartition[];
  /** Per member: what it claims to own, sorted and unique (may include partitions not in universe). */
  ownedByMember: readonly (readonly TopicPartition[])[];
  /** Per universe partition: how many members claim it, and one of them (the only one if 1). */
  claimCount: readonly number[];
  claimant: readonly number[];
}

function buildProblem(
  members: readonly MemberSubscription[],
  partitionsPerTopic: Readonly<Record<string, number>>,
): Problem {
  const knownTopics = validatePartitionCounts(partitionsPerTopic);
  const sortedMembers = [...members].sort((a, b) => compareStrings(a.memberId, b.memberId));
  sortedMembers.forEach((member, index) => {
    if (typeof member.memberId !== 'string') {
      throw new Error(`memberId must be a string, got ${String(member.memberId)}`);
    }
    if (index > 0 && sortedMembers[index - 1]?.memberId === member.memberId) {
      throw new Error(`duplicate member id '${member.memberId}' in the consumer group`);
    }
  });
  const topicsByMember = sortedMembers.map((member) =>
    uniqueSorted(member.topics.filter((topic) => Object.hasOwn(partitionsPerTopic, topic)), compareStrings),
  );
  const topicSetByMember = topicsByMember.map((topics) => new Set(topics));
  const topics: TopicRange[] = [];
  const universe: TopicPartition[] = [];
  for (const topic of knownTopics) {
    const subscribers = topicSetByMember.flatMap((set, index) => (set.has(topic) ? [index] : []));
    if (subscribers.length === 0) continue;
    const count = partitionsPerTopic[topic] ?? 0;
    topics.push({ topic, base: universe.length, count, subscribers });
    for (let partition = 0; partition < count; partition++) universe.push({ topic, partition });
  }
  const topicByName = new Map(topics.map((range) => [range.topic, range]));
  const ownedByMember = sortedMembers.map((member) => validateOwned(member));
  const problem: Problem = {
    memberIds: sortedMembers.map((member) => member.memberId),
    topicsByMember,
    topicSetByMember,
    topics,
    topicByName,
    universe,
    ownedByMember,
    claimCount: [],
    claimant: [],
  };
  const { claimCount, claimant } = countClaims(problem);
  return { ...problem, claimCount, claimant };
}

function validatePartitionCounts(partitionsPerTopic: Readonly<Record<string, number>>): string[] {
  const topics = Object.keys(partitionsPerTopic).sort(compareStrings);
  for (const topic of topics) {
    const count = partitionsPerTopic[topic];
    if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
      throw new Error(`partition count of topic '${topic}' must be a non-negative integer, got ${String(count)}`);
    }
  }
  return topics;
}

function validateOwned(member: MemberSubscription): TopicPartition[] {
  for (const owned of member.ownedPartitions) {
    if (typeof owned.topic !== 'string' || !Number.isSafeInteger(owned.partition) || owned.partition < 0) {
      throw new Error(
        `member '${member.memberId}' owns an invalid partition ${String(owned.topic)}-${String(owned.partition)}: ` +
          'the partition number must be a non-negative integer',
      );
    }
  }
  const copies = member.ownedPartitions.map((owned) => ({ topic: owned.topic, partition: owned.partition }));
  return uniqueSorted(copies, compareTopicPartitions);
}

function countClaims(problem: Problem): { claimCount: number[]; claimant: number[] } {
  const claimCount = problem.universe.map(() => 0);
  const claimant = problem.universe.map(() => NO_MEMBER);
  problem.ownedByMember.forEach((owned, member) => {
    for (const partition of owned) {
      const index = universeIndex(problem, partition);
      if (index === NO_PARTITION) continue;
      claimCount[index] = (claimCount[index] ?? 0) + 1;
      claimant[index] = member;
    }
  });
  return { claimCount, claimant };
}

const NO_PARTITION = -1;

function universeIndex(problem: Problem, partition: TopicPartition): number {
  const range = problem.topicByName.get(partition.topic);
  if (range === undefined || partition.partition >= range.count) return NO_PARTITION;
  return range.base + partition.partition;
}

function topicOfIndex(problem: Problem, index: number): TopicRange {
  const partition = problem.universe[index];
  assert(partition !== undefined, () => `partition index ${index} outside the universe`);
  const range = problem.topicByName.get(partition.topic);
  assert(range !== undefined, () => `topic '${partition.topic}' has no range`);
  return range;
}

/** The member that keeps stickiness for a partition: its only claimant, if subscribed to its topic. */
function validOwner(problem: Problem, index: number): number {
  const member = problem.claimant[index] ?? NO_MEMBER;
  if (problem.claimCount[index] !== 1 || member === NO_MEMBER) return NO_MEMBER;
  const topic = topicOfIndex(problem, index).topic;
  return problem.topicSetByMember[member]?.has(topic) === true ? member : NO_MEMBER;
}

// ---------------------------------------------------------------------------------------------
// Range and round robin. Both return a target: the member index of every universe partition.

function assignRange(problem: Problem): number[] {
  const target = problem.universe.map(() => NO_MEMBER);
  for (const range of problem.topics) {
    const consumers = range.subscribers.length;
    const perConsumer = Math.floor(range.count / consumers);
    const withExtra = range.count % consumers;
    let next = range.base;
    range.subscribers.forEach((member, rank) => {
      const length = perConsumer + (rank < withExtra ? 1 : 0);
      for (let offset = 0; offset < length; offset++) target[next + offset] = member;
      next += length;
    });
    assert(next === range.base + range.count, () => `range assignor left partitions of '${range.topic}' unassigned`);
  }
  return target;
}

function assignRoundRobin(problem: Problem): number[] {
  const memberCount = problem.memberIds.length;
  const target = problem.universe.map(() => NO_MEMBER);
  let cursor = 0;
  problem.universe.forEach((partition, index) => {
    let skipped = 0;
    while (problem.topicSetByMember[cursor]?.has(partition.topic) !== true) {
      cursor = (cursor + 1) % memberCount;
      skipped++;
      assert(skipped <= memberCount, () => `no member subscribes to '${partition.topic}'`);
    }
    target[index] = cursor;
    cursor = (cursor + 1) % memberCount;
  });
  return target;
}

// ---------------------------------------------------------------------------------------------
// Sticky. `solveSticky` maps each universe partition's owner (NO_MEMBER if none) to a target
// that is balanced and keeps as many owned partitions as any balanced target can.

/**
 * The sticky target. Solving once gives a balanced, maximally sticky target T0, but which
 * member receives a *moving* partition depends on who owned it. So it solves a second time from
 * the state the cooperative protocol reaches after its first rebalance: moving partitions
 * revoked, everything else owned by its T0 member. That second target keeps every such
 * partition (T0 proves that is possible without losing balance), so it is as sticky as T0, and
 * solving again from its own first-rebalance state returns it unchanged (the first solve sees the
 * same input again, and the only optimal target that keeps everything is the target itself). This
 * is what makes the cooperative second rebalance end exactly in the first rebalance's target; it
 * holds for any deterministic solver that returns an optimal target.
 */
function stickyTarget(problem: Problem): number[] {
  const owners = problem.universe.map((_, index) => validOwner(problem, index));
  const first = solveSticky(problem, owners);
  const stayingOwners = first.map((member, index) => (isWithheld(problem, index, member) ? NO_MEMBER : member));
  const target = solveSticky(problem, stayingOwners);
  stayingOwners.forEach((member, index) => {
    assert(member === NO_MEMBER || target[index] === member, () => `sticky re-solve moved partition ${index}`);
  });
  return target;
}

/** True if another member than `member` still claims the partition, so it must be revoked first. */
function isWithheld(problem: Problem, index: number, member: number): boolean {
  const claims = problem.claimCount[index] ?? 0;
  return claims >= 2 || (claims === 1 && problem.claimant[index] !== member);
}

function solveSticky(problem: Problem, owners: readonly number[]): number[] {
  const target = haveIdenticalSubscriptions(problem) ? solveByQuota(problem, owners) : solveByFlow(problem, owners);
  target.forEach((member, index) => {
    const topic = topicOfIndex(problem, index).topic;
    if (problem.topicSetByMember[member]?.has(topic) !== true) {
      assert(false, () => `sticky gave partition ${index} to a non-subscriber`);
    }
  });
  return target;
}

function haveIdenticalSubscriptions(problem: Problem): boolean {
  const first = problem.topicsByMember[0];
  if (first === undefined) return false;
  return problem.topicsByMember.every(
    (topics) => topics.length === first.length && topics.every((topic, index) => topic === first[index]),
  );
}

/**
 * Identical subscriptions (Kafka's own special case): with P partitions and C members, k = P mod C
 * members get q + 1 = ceil(P/C) and the rest q = floor(P/C). The q + 1 slots go first to members
 * owning at least q + 1 (in memberId order), then to the others in memberId order. Each member
 * keeps its first owned partitions up to its quota. Free partitions go first to their "fresh"
 * member (partition j of the sorted universe to member j mod C, i.e. what a round robin over an
 * empty group gives, so a fresh group matches the javadoc example) while it has room; the rest
 * fill the remaining room in memberId order. Every choice depends only on memberId order, the
 * partition order and the owners.
 */
function solveByQuota(problem: Problem, owners: readonly number[]): number[] {
  const memberCount = problem.memberIds.length;
  const quotas = quotasFor(problem, owners);
  const target = problem.universe.map(() => NO_MEMBER);
  const load = quotas.map(() => 0);
  owners.forEach((member, index) => {
    if (member === NO_MEMBER || (load[member] ?? 0) >= (quotas[member] ?? 0)) return;
    target[index] = member;
    load[member] = (load[member] ?? 0) + 1;
  });
  target.forEach((member, index) => {
    const fresh = index % memberCount;
    if (member !== NO_MEMBER || (load[fresh] ?? 0) >= (quotas[fresh] ?? 0)) return;
    target[index] = fresh;
    load[fresh] = (load[fresh] ?? 0) + 1;
  });
  let cursor = 0;
  target.forEach((member, index) => {
    if (member !== NO_MEMBER) return;
    while ((load[cursor] ?? 0) >= (quotas[cursor] ?? 0)) cursor++;
    assert(cursor < memberCount, 'sticky quotas leave a partition without room');
    target[index] = cursor;
    load[cursor] = (load[cursor] ?? 0) + 1;
  });
  assert(load.every((count, member) => count === quotas[member]), 'sticky loads differ from their quotas');
  return target;
}

function quotasFor(problem: Problem, owners: readonly number[]): number[] {
  const memberCount = problem.memberIds.length;
  const partitionCount = problem.universe.length;
  const floorQuota = Math.floor(partitionCount / memberCount);
  let extraSlots = partitionCount % memberCount;
  const ownedCount = problem.memberIds.map(() => 0);
  for (const member of owners) if (member !== NO_MEMBER) ownedCount[member] = (ownedCount[member] ?? 0) + 1;
  const quotas = problem.memberIds.map(() => floorQuota);
  const ownsMore = (member: number): boolean => (ownedCount[member] ?? 0) > floorQuota;
  const order = [
    ...quotas.flatMap((_, member) => (ownsMore(member) ? [member] : [])),
    ...quotas.flatMap((_, member) => (ownsMore(member) ? [] : [member])),
  ];
  for (const member of order) {
    if (extraSlots === 0) break;
    quotas[member] = floorQuota + 1;
    extraSlots--;
  }
  assert(
    quotas.reduce((sum, quota) => sum + quota, 0) === partitionCount,
    'sticky quotas do not add up to the partition count',
  );
  return quotas;
}

// ---------------------------------------------------------------------------------------------
// Sticky with differing subscriptions: a min-cost flow. Each partition is one unit of flow from
// the source to a subscribed member, then to the sink. A member's k-th partition costs
// W * (2k - 1) on its sink edge, so the total is W * (sum of squared loads): the most balanced
// loads win. Per topic, each owner's partitions form a group with a free edge to the owner and an
// edge of cost 1 (a move) to the topic's hub; the hub also takes the unowned partitions and feeds
// every subscriber. W = P + 1 makes any balance gain outweigh every stickiness loss.
// Successive shortest paths (Dijkstra with potentials) push P units, so the result is optimal.
// Cost: P Dijkstra runs over at most topics * (members + 2) + members + 2 nodes, with edges
// ~ 2 * (owner groups) + sum of subscribers per topic.

interface TopicFlow {
  range: TopicRange;
  hub: number;
  /** Universe indices nobody validly owns, ascending. */
  unowned: number[];
  owned: { owner: number; partitions: number[]; keepEdge: number }[];
  /** Edge id of hub -> range.subscribers[k], for every k. */
  hubEdges: number[];
}

interface FlowGraph {
  head: number[];
  capacity: number[];
  cost: number[];
  edgesByNode: number[][];
}

function solveByFlow(problem: Problem, owners: readonly number[]): number[] {
  const memberCount = problem.memberIds.length;
  const graph: FlowGraph = { head: [], capacity: [], cost: [], edgesByNode: [[]] };
  const source = 0;
  const newNode = (): number => graph.edgesByNode.push([]) - 1;
  const memberNodes = problem.memberIds.map(() => newNode());
  const topicFlows = problem.topics.map((range): TopicFlow => {
    const hub = newNode();
    const { unowned, ownedBy } = splitByOwner(range, owners, memberCount);
    addEdge(graph, source, hub, unowned.length, 0);
    const owned = ownedBy.flatMap((partitions, owner) => {
      if (partitions.length === 0) return [];
      const group = newNode();
      addEdge(graph, source, group, partitions.length, 0);
      addEdge(graph, group, hub, partitions.length, 1);
      const keepEdge = addEdge(graph, group, memberNodes[owner] ?? NO_EDGE, partitions.length, 0);
      return [{ owner, partitions, keepEdge }];
    });
    const hubEdges = range.subscribers.map((member) =>
      addEdge(graph, hub, memberNodes[member] ?? NO_EDGE, range.count, 0),
    );
    return { range, hub, unowned, owned, hubEdges };
  });
  const sink = newNode();
  const network: Network = {
    graph,
    source,
    sink,
    firstMemberNode: memberNodes[0] ?? sink,
    load: problem.memberIds.map(() => 0),
    balanceWeight: problem.universe.length + 1,
    potential: graph.edgesByNode.map(() => 0),
  };
  for (let unit = 0; unit < problem.universe.length; unit++) pushOneUnit(network);
  const target = problem.universe.map(() => NO_MEMBER);
  for (const topicFlow of topicFlows) decodeTopic(topicFlow, graph, target);
  return target;
}

/** A topic's partitions: those nobody validly owns, and per member those it owns. */
function splitByOwner(range: TopicRange, owners: readonly number[], memberCount: number) {
  const unowned: number[] = [];
  const ownedBy: number[][] = Array.from({ length: memberCount }, () => []);
  for (let index = range.base; index < range.base + range.count; index++) {
    const owner = owners[index] ?? NO_MEMBER;
    if (owner === NO_MEMBER) unowned.push(index);
    else ownedBy[owner]?.push(index);
  }
  return { unowned, ownedBy };
}

function addEdge(graph: FlowGraph, from: number, to: number, capacity: number, cost: number): number {
  const edge = graph.head.length;
  graph.head.push(to, from);
  graph.capacity.push(capacity, 0);
  graph.cost.push(cost, -cost);
  graph.edgesByNode[from]?.push(edge);
  graph.edgesByNode[to]?.push(edge + 1);
  return edge;
}

interface Network {
  graph: FlowGraph;
  source: number;
  sink: number;
  firstMemberNode: number;
  /** Partitions given to each member so far: the flow on its (implicit, convex) sink edge. */
  load: number[];
  balanceWeight: number;
  potential: number[];
}

/** Sends one unit along a cheapest source -> sink path and updates the potentials. */
function pushOneUnit(network: Network): void {
  const { distance, previousEdge, lastMember } = shortestPaths(network);
  assert(lastMember !== NO_MEMBER, 'sticky flow found no path for a partition');
  distance.forEach((value, node) => {
    if (value !== Infinity) network.potential[node] = (network.potential[node] ?? 0) + value;
  });
  network.load[lastMember] = (network.load[lastMember] ?? 0) + 1;
  const { graph } = network;
  let node = network.firstMemberNode + lastMember;
  for (let steps = 0; node !== network.source; steps++) {
    assert(steps < distance.length, 'sticky flow path does not lead back to the source');
    const edge = previousEdge[node] ?? NO_EDGE;
    assert(edge !== NO_EDGE, () => `sticky flow path broken at node ${node}`);
    graph.capacity[edge] = (graph.capacity[edge] ?? 0) - 1;
    graph.capacity[edge ^ 1] = (graph.capacity[edge ^ 1] ?? 0) + 1;
    node = graph.head[edge ^ 1] ?? NO_EDGE;
  }
}

const NO_EDGE = -1;

/**
 * Dijkstra over reduced costs. Edges into the source and out of the sink are never on a simple
 * source -> sink path, so the sink's reverse edges are not modelled and the sink has no out-edges.
 * (Hot loop: assertion messages are only built when an assertion fails.)
 */
function shortestPaths(network: Network): { distance: number[]; previousEdge: number[]; lastMember: number } {
  const { graph, potential, sink, firstMemberNode } = network;
  const distance = potential.map(() => Infinity);
  const previousEdge = potential.map(() => NO_EDGE);
  let lastMember = NO_MEMBER;
  const heap = new MinHeap();
  distance[network.source] = 0;
  heap.push(0, network.source);
  while (heap.size > 0) {
    const node = heap.pop();
    const nodeDistance = heap.poppedDistance;
    if (nodeDistance > (distance[node] ?? Infinity) || node === sink) continue;
    const nodePotential = potential[node] ?? 0;
    for (const edge of graph.edgesByNode[node] ?? []) {
      if ((graph.capacity[edge] ?? 0) <= 0) continue;
      const to = graph.head[edge] ?? NO_EDGE;
      const reached = nodeDistance + checkedReducedCost(graph.cost[edge] ?? 0, nodePotential, potential[to] ?? 0);
      if (reached >= (distance[to] ?? Infinity)) continue;
      distance[to] = reached;
      previousEdge[to] = edge;
      heap.push(reached, to);
    }
    const member = node - firstMemberNode;
    if (member < 0 || member >= network.load.length) continue;
    const sinkCost = network.balanceWeight * (2 * (network.load[member] ?? 0) + 1);
    const reached = nodeDistance + checkedReducedCost(sinkCost, nodePotential, potential[sink] ?? 0);
    if (reached >= (distance[sink] ?? Infinity)) continue;
    distance[sink] = reached;
    lastMember = member;
    heap.push(reached, sink);
  }
  return { distance, previousEdge, lastMember };
}

/** Potentials keep every usable edge's reduced cost non-negative, which Dijkstra needs. */
function checkedReducedCost(cost: number, fromPotential: number, toPotential: number): number {
  const reduced = cost + fromPotential - toPotential;
  if (!(reduced >= 0)) assert(false, () => `sticky flow has a negative reduced cost ${reduced}`);
  return reduced;
}

/**
 * Turns flows into partitions: each owner keeps its first owned partitions (as many as flowed on
 * its keep edge); the others and the unowned ones, sorted, go to the subscribers in memberId
 * order, as many as flowed to each from the hub.
 */
function decodeTopic(topicFlow: TopicFlow, graph: FlowGraph, target: number[]): void {
  const flowOn = (edge: number): number => graph.capacity[edge ^ 1] ?? 0;
  const pool = [...topicFlow.unowned];
  for (const { owner, partitions, keepEdge } of topicFlow.owned) {
    const kept = flowOn(keepEdge);
    partitions.forEach((index, rank) => {
      if (rank < kept) target[index] = owner;
      else pool.push(index);
    });
  }
  pool.sort((a, b) => a - b);
  let next = 0;
  topicFlow.range.subscribers.forEach((member, rank) => {
    for (let unit = flowOn(topicFlow.hubEdges[rank] ?? NO_EDGE); unit > 0; unit--) {
      const index = pool[next++];
      assert(index !== undefined, () => `sticky flow sent more of '${topicFlow.range.topic}' than it has`);
      target[index] = member;
    }
  });
  assert(next === pool.length, () => `sticky flow left partitions of '${topicFlow.range.topic}' unassigned`);
}

/** Binary min-heap of (distance, node), ties broken by node so the search order is deterministic. */
class MinHeap {
  private readonly distances: number[] = [];
  private readonly nodes: number[] = [];
  /** The distance of the node the last `pop` returned. */
  poppedDistance = Infinity;

  get size(): number {
    return this.nodes.length;
  }

  push(distance: number, node: number): void {
    this.distances.push(distance);
    this.nodes.push(node);
    let child = this.nodes.length - 1;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (!this.less(child, parent)) break;
      this.swap(child, parent);
      child = parent;
    }
  }

  /** Removes and returns the node with the smallest (distance, node); its distance is in `poppedDistance`. */
  pop(): number {
    assert(this.nodes.length > 0, 'pop from an empty heap');
    const top = this.nodes[0] ?? NO_EDGE;
    this.poppedDistance = this.distances[0] ?? Infinity;
    this.swap(0, this.nodes.length - 1);
    this.nodes.pop();
    this.distances.pop();
    let parent = 0;
    for (;;) {
      const left = 2 * parent + 1;
      let smallest = parent;
      if (left < this.nodes.length && this.less(left, smallest)) smallest = left;
      if (left + 1 < this.nodes.length && this.less(left + 1, smallest)) smallest = left + 1;
      if (smallest === parent) return top;
      this.swap(parent, smallest);
      parent = smallest;
    }
  }

  private less(a: number, b: number): boolean {
    const distanceA = this.distances[a] ?? Infinity;
    const distanceB = this.distances[b] ?? Infinity;
    return distanceA < distanceB || (distanceA === distanceB && (this.nodes[a] ?? 0) < (this.nodes[b] ?? 0));
  }

  private swap(a: number, b: number): void {
    const distance = this.distances[a] ?? Infinity;
    const node = this.nodes[a] ?? NO_EDGE;
    this.distances[a] = this.distances[b] ?? Infinity;
    this.nodes[a] = this.nodes[b] ?? NO_EDGE;
    this.distances[b] = distance;
    this.nodes[b] = node;
  }
}

// ---------------------------------------------------------------------------------------------
// Results.

function eagerResult(problem: Problem, target: readonly number[]): AssignmentResult {
  const byMember = problem.memberIds.map((): TopicPartition[] => []);
  target.forEach((member, index) => {
    const partition = problem.universe[index];
    assert(partition !== undefined && member !== NO_MEMBER, () => `partition ${index} left unassigned`);
    byMember[member]?.push({ topic: partition.topic, partition: partition.partition });
  });
  return {
    byMember: keyedByMember(problem, byMember),
    revokedByMember: keyedByMember(problem, problem.memberIds.map(() => [])),
  };
}

function cooperativeResult(problem: Problem, target: readonly number[]): AssignmentResult {
  const kept = target.map((member, index) => (isWithheld(problem, index, member) ? NO_MEMBER : member));
  const byMember = problem.memberIds.map((): TopicPartition[] => []);
  kept.forEach((member, index) => {
    const partition = problem.universe[index];
    assert(partition !== undefined, () => `partition ${index} outside the universe`);
    if (member !== NO_MEMBER) byMember[member]?.push({ topic: partition.topic, partition: partition.partition });
  });
  const revokedByMember = problem.ownedByMember.map((owned, member) =>
    owned.filter((partition) => {
      const index = universeIndex(problem, partition);
      return index === NO_PARTITION || kept[index] !== member;
    }),
  );
  kept.forEach((member, index) => {
    const claims = problem.claimCount[index] ?? 0;
    assert(member !== NO_MEMBER || claims > 0, () => `withheld partition ${index} has nobody to revoke it`);
  });
  return { byMember: keyedByMember(problem, byMember), revokedByMember: keyedByMember(problem, revokedByMember) };
}

function keyedByMember(problem: Problem, lists: readonly TopicPartition[][]): Record<string, TopicPartition[]> {
  assert(lists.length === problem.memberIds.length, 'one list per member');
  // fromEntries defines own properties, so even a member id like '__proto__' becomes a plain key.
  return Object.fromEntries(problem.memberIds.map((memberId, member) => [memberId, lists[member] ?? []]));
}

// ---------------------------------------------------------------------------------------------
// Helpers.

function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function uniqueSorted<T>(items: readonly T[], compare: (a: T, b: T) => number): T[] {
  const sorted = [...items].sort(compare);
  return sorted.filter((item, index) => index === 0 || compare(sorted[index - 1] as T, item) !== 0);
}
