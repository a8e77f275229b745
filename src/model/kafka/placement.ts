/**
 * Where a topic's replicas go: one list of broker ids per partition, the first of which is the
 * partition's preferred leader.
 *
 * Without racks: partition p on brokers p, p+1, ..., p+RF-1 (mod brokers), the leaders spread
 * round-robin. This is Kafka's rack-unaware AdminUtils assignment with start index 0 for the
 * first round of partitions; Kafka shifts the followers by one more for every further round of
 * `brokers` partitions, which the model does not (its placement and trace hashes predate racks).
 *
 * With racks: Kafka's rack-aware assignment, AdminUtils.assignReplicasToBrokersRackAware
 * (apache/kafka, server-common/src/main/java/org/apache/kafka/admin/AdminUtils.java; the Scala
 * kafka.admin.AdminUtils before 3.7). The brokers are first put in a rack-alternated order
 * (getRackAlternatedBrokerList: racks sorted by name, brokers in each rack by id, then one broker
 * of each rack in turn), and the round-robin runs over that list: partition p's first replica is
 * list[p mod B]; its followers are taken at the shifted positions replicaIndex(first,
 * shift x racks, k, B), skipping a broker whose rack already holds a replica while some rack
 * holds none, and a broker that already holds one. Each partition's replicas therefore land on
 * min(RF, racks) different racks, and the leaders are spread evenly over the brokers when each
 * rack has as many brokers. Kafka starts at a random index (fixedStartIndex = -1); the model
 * starts at 0, as Kafka's own tests do with a fixed start index, so that runs are reproducible.
 * (Kafka 4's KRaft controller places new topics with StripedReplicaPlacer, which follows the same
 * rule of one replica per rack before a second, in a randomised order.)
 */
export function roundRobinAssignment(brokers: number, partitions: number, replicationFactor: number): number[][] {
  return Array.from({ length: partitions }, (_, p) => Array.from({ length: replicationFactor }, (_, r) => (p + r) % brokers));
}

/** `brokerRacks[b]`: the rack of broker b. Returns the replicas of each partition, preferred leader first. */
export function rackAwareAssignment(brokerRacks: readonly string[], partitions: number, replicationFactor: number): number[][] {
  const arranged = rackAlternatedBrokerList(brokerRacks);
  const brokers = arranged.length;
  const racks = new Set(brokerRacks).size;
  const startIndex = 0;
  let nextReplicaShift = 0;
  const result: number[][] = [];
  for (let p = 0; p < partitions; p++) {
    if (p > 0 && p % brokers === 0) nextReplicaShift++;
    const firstReplicaIndex = (p + startIndex) % brokers;
    const leader = arranged[firstReplicaIndex]!;
    const replicas = [leader];
    const racksWithReplicas = [brokerRacks[leader]!];
    let k = 0;
    for (let j = 0; j < replicationFactor - 1; j++) {
      for (;;) {
        const broker = arranged[replicaIndex(firstReplicaIndex, nextReplicaShift * racks, k, brokers)]!;
        const rack = brokerRacks[broker]!;
        k++;
        // Skip the broker if its rack has a replica while some rack has none, or if it has a
        // replica while some broker has none (AdminUtils' two conditions).
        const rackOk = !racksWithReplicas.includes(rack) || racksWithReplicas.length === racks;
        const brokerOk = !replicas.includes(broker) || replicas.length === brokers;
        if (rackOk && brokerOk) {
          replicas.push(broker);
          if (!racksWithReplicas.includes(rack)) racksWithReplicas.push(rack);
          break;
        }
      }
    }
    result.push(replicas);
  }
  return result;
}

/** AdminUtils.getRackAlternatedBrokerList: racks sorted by name, one broker of each in turn. */
export function rackAlternatedBrokerList(brokerRacks: readonly string[]): number[] {
  const racks = [...new Set(brokerRacks)].sort();
  const byRack = racks.map((rack) => brokerRacks.flatMap((r, broker) => (r === rack ? [broker] : [])));
  const result: number[] = [];
  for (let round = 0; result.length < brokerRacks.length; round++) {
    for (const members of byRack) if (round < members.length) result.push(members[round]!);
  }
  return result;
}

function replicaIndex(firstReplicaIndex: number, secondReplicaShift: number, index: number, brokers: number): number {
  const shift = 1 + ((secondReplicaShift + index) % (brokers - 1));
  return (firstReplicaIndex + shift) % brokers;
}
