import { describe, expect, it } from 'vitest';
import { AssertionError } from '../../../src/engine';
import { Network } from '../../../src/model/kafka/network';

/** Every ordered pair (from, to) with from !== to among `nodes` nodes. */
function orderedPairs(nodes: number): [number, number][] {
  const pairs: [number, number][] = [];
  for (let from = 0; from < nodes; from++) {
    for (let to = 0; to < nodes; to++) if (from !== to) pairs.push([from, to]);
  }
  return pairs;
}

/** The set of ordered pairs that are cut, as "from>to" strings. */
function cutPairs(network: Network): string[] {
  return orderedPairs(network.nodeCount)
    .filter(([from, to]) => !network.connected(from, to))
    .map(([from, to]) => `${from}>${to}`);
}

describe('Network: latency', () => {
  it('gives every ordered pair the default latency', () => {
    const network = new Network(4, 250);
    expect(network.nodeCount).toBe(4);
    for (const [from, to] of orderedPairs(4)) expect(network.latencyUs(from, to)).toBe(250);
  });

  it('accepts a zero latency', () => {
    const network = new Network(2, 0);
    expect(network.latencyUs(0, 1)).toBe(0);
    expect(network.latencyUs(1, 0)).toBe(0);
  });

  it('setLatencyUs changes both directions of that pair and no other pair', () => {
    const network = new Network(4, 100);
    network.setLatencyUs(1, 3, 7_000);
    expect(network.latencyUs(1, 3)).toBe(7_000);
    expect(network.latencyUs(3, 1)).toBe(7_000);
    for (const [from, to] of orderedPairs(4)) {
      const onPair = (from === 1 && to === 3) || (from === 3 && to === 1);
      expect({ from, to, latency: network.latencyUs(from, to) }).toEqual({ from, to, latency: onPair ? 7_000 : 100 });
    }
  });

  it('a later setLatencyUs in the other direction overrides both directions', () => {
    const network = new Network(3, 100);
    network.setLatencyUs(0, 2, 500);
    network.setLatencyUs(2, 0, 900);
    expect(network.latencyUs(0, 2)).toBe(900);
    expect(network.latencyUs(2, 0)).toBe(900);
    expect(network.latencyUs(0, 1)).toBe(100);
  });

  it('refuses a negative, fractional or non-finite latency, in the constructor and in setLatencyUs', () => {
    expect(() => new Network(2, -1)).toThrow(AssertionError);
    expect(() => new Network(2, 1.5)).toThrow(AssertionError);
    expect(() => new Network(2, Number.NaN)).toThrow(AssertionError);
    expect(() => new Network(2, Infinity)).toThrow(AssertionError);
    const network = new Network(2, 10);
    expect(() => network.setLatencyUs(0, 1, -5)).toThrow(AssertionError);
    expect(() => network.setLatencyUs(0, 1, 0.25)).toThrow('link latency must be whole µs >= 0, got 0.25');
    expect(() => network.setLatencyUs(0, 1, Number.NaN)).toThrow(AssertionError);
    // A refused change leaves the latency as it was.
    expect(network.latencyUs(0, 1)).toBe(10);
    expect(network.latencyUs(1, 0)).toBe(10);
  });
});

describe('Network: cuts', () => {
  it('starts fully connected', () => {
    expect(cutPairs(new Network(5, 1))).toEqual([]);
  });

  it('a partition cuts both directions between the two sides, and only those links', () => {
    const network = new Network(5, 1);
    network.partition([0, 1], [3, 4]);
    const expected: string[] = [];
    for (const [from, to] of orderedPairs(5)) {
      const across = ([0, 1].includes(from) && [3, 4].includes(to)) || ([3, 4].includes(from) && [0, 1].includes(to));
      if (across) expected.push(`${from}>${to}`);
    }
    expect(expected).toHaveLength(8);
    expect(cutPairs(network)).toEqual(expected);
    // Within a side, and to the bystander node 2, everything still flows.
    expect(network.connected(0, 1)).toBe(true);
    expect(network.connected(1, 0)).toBe(true);
    expect(network.connected(3, 4)).toBe(true);
    expect(network.connected(4, 3)).toBe(true);
    expect(network.connected(2, 0)).toBe(true);
    expect(network.connected(4, 2)).toBe(true);
  });

  it('a cut does not change latencies', () => {
    const network = new Network(3, 40);
    network.partition([0], [1, 2]);
    expect(network.latencyUs(0, 1)).toBe(40);
    expect(network.latencyUs(2, 0)).toBe(40);
  });

  it('a node is always connected to itself, even when listed on both sides', () => {
    const network = new Network(3, 1);
    network.partition([0, 1], [1, 2]);
    for (let node = 0; node < 3; node++) expect(network.connected(node, node)).toBe(true);
    // 1 is on both sides: its links to 0 and 2 are cut, and 0-2 are cut too.
    expect(cutPairs(network)).toEqual(['0>1', '0>2', '1>0', '1>2', '2>0', '2>1']);
  });

  it('partition(..., false) heals exactly those links', () => {
    const network = new Network(4, 1);
    network.partition([0], [1, 2, 3]);
    network.partition([1], [2]);
    expect(cutPairs(network)).toEqual(['0>1', '0>2', '0>3', '1>0', '1>2', '2>0', '2>1', '3>0']);
    network.partition([0], [1, 2, 3], false);
    expect(cutPairs(network)).toEqual(['1>2', '2>1']);
  });

  it('healing may list the sides the other way round', () => {
    const network = new Network(3, 1);
    network.partition([0], [1, 2]);
    network.partition([2], [0], false);
    expect(cutPairs(network)).toEqual(['0>1', '1>0']);
  });

  it('healAll reconnects every link', () => {
    const network = new Network(4, 1);
    network.partition([0], [1, 2, 3]);
    network.partition([1, 2], [3]);
    expect(cutPairs(network)).toHaveLength(10);
    network.healAll();
    expect(cutPairs(network)).toEqual([]);
  });

  it('an empty side cuts nothing', () => {
    const network = new Network(3, 1);
    network.partition([], [0, 1, 2]);
    network.partition([0, 1, 2], []);
    expect(cutPairs(network)).toEqual([]);
  });
});
