export { assert, assertNonNegativeInteger, AssertionError } from './assert';
export { distributionMoments, makeSampler, type DistributionSpec, type Sampler } from './distributions';
export { RandomStream, hashName } from './random';
export { Simulation, type EventHandler, type RunLimits, type StopReason, type Timer } from './simulation';
export { ENGINE_VERSION } from './version';
export { grownTypedArray } from './typed-arrays';
export { IndexedMinHeap } from './indexed-min-heap';
