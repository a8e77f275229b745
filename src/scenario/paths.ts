/** Field paths as users write them: `queue.serviceSeconds.points[2][0]`. */
export type Path = ReadonlyArray<PropertyKey>;

export function formatPath(path: Path): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text;
}

/** `a.b[2].c` -> ['a', 'b', 2, 'c'] (the inverse of formatPath). */
export function splitPath(dottedPath: string): (string | number)[] {
  const keys: (string | number)[] = [];
  for (const part of dottedPath.split('.')) {
    const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (match === null) {
      keys.push(part);
      continue;
    }
    if (match[1] !== '') keys.push(/^\d+$/.test(match[1]!) ? Number(match[1]) : match[1]!);
    for (const index of match[2]!.matchAll(/\[(\d+)\]/g)) keys.push(Number(index[1]));
  }
  return keys.filter((key) => key !== '');
}
