type TypedArray = Float64Array | Int32Array | Uint32Array | Uint16Array | Uint8Array;

/** A copy of `array` with room for `capacity` entries (the new tail is zero). */
export function grownTypedArray<T extends TypedArray>(array: T, capacity: number): T {
  const grown = new (array.constructor as new (length: number) => T)(capacity);
  grown.set(array);
  return grown;
}
