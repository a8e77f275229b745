import { describe, expect, it } from 'vitest';
import { makeRateCurve, parseRateCsv } from '../../../src/flows/traffic-curve';

/** Joins rows into a file text, so that a row's index + 1 is its line number in the tests. */
const file = (...rows: string[]): string => `${rows.join('\n')}\n`;

function pointsOf(text: string): [number, number][] {
  const result = parseRateCsv(text, 'rates.csv');
  if (!('points' in result)) throw new Error(`expected rates.csv to parse, got:\n${result.problems.join('\n')}`);
  return result.points;
}

function problemsOf(text: string): string[] {
  const result = parseRateCsv(text, 'rates.csv');
  if (!('problems' in result)) throw new Error('expected rates.csv to be rejected, but it parsed');
  return result.problems;
}

describe('parseRateCsv: good files', () => {
  it('reads a seconds,rate file, negative times before midnight, into points for a replay curve', () => {
    const points = pointsOf(file('seconds,rate', '-60,20000', '0,20000', '26,583000', '86.5,1.5e5'));
    expect(points).toEqual([
      [-60, 20_000],
      [0, 20_000],
      [26, 583_000],
      [86.5, 150_000],
    ]);
    const curve = makeRateCurve({ kind: 'replay', points });
    expect(curve.rateAt(30)).toBe(583_000);
    expect(curve.integral(26, 86.5)).toBe(583_000 * 60.5);
  });

  it('accepts time,rate, no header, spaces, CRLF, a BOM, blank lines, # comments and no final newline', () => {
    const expected = [
      [0, 1],
      [1, 2],
    ];
    expect(pointsOf(file('time,rate', '0,1', '1,2'))).toEqual(expected);
    expect(pointsOf(file('0,1', '1,2'))).toEqual(expected);
    expect(pointsOf(' Seconds , Rate \r\n 0 , 1 \r\n\r\n1,2')).toEqual(expected);
    expect(pointsOf(`\uFEFF${file('# exported from the gateway', 'seconds,rate', '', '0,1', '# quiet', '1,2', '', '')}`)).toEqual(expected);
  });
});

describe('parseRateCsv: bad files, each problem with its line', () => {
  it('a negative rate', () => {
    expect(problemsOf(file('seconds,rate', '0,10', '1,-5'))).toEqual(['rates.csv:3: rate -5 is negative (rates are orders per second, 0 or more)']);
  });

  it('times that do not increase', () => {
    expect(problemsOf(file('seconds,rate', '0,10', '5,10', '5,11', '4,12', '6,13'))).toEqual([
      'rates.csv:4: time 5 is not after 5 on line 3 (times must increase strictly, one row per time)',
      'rates.csv:5: time 4 is not after 5 on line 3 (times must increase strictly, one row per time)',
    ]);
  });

  it('things that are not numbers', () => {
    expect(problemsOf(file('seconds,rate', 'ten,10', '1,lots', '2,', '0x10,5', '3,1e999'))).toEqual([
      'rates.csv:2: time "ten" is not a number (seconds relative to midnight, e.g. -60 or 26.5)',
      'rates.csv:3: rate "lots" is not a number (orders per second, e.g. 583000)',
      'rates.csv:4: rate "" is not a number (orders per second, e.g. 583000)',
      'rates.csv:5: time "0x10" is not a number (seconds relative to midnight, e.g. -60 or 26.5)',
      'rates.csv:6: has a number too large to use (times and rates must be finite)',
    ]);
  });

  it('the wrong number of columns', () => {
    expect(problemsOf(file('seconds,rate', '0,1,2', '5'))).toEqual([
      'rates.csv:2: has 3 columns, expected 2 (write one seconds,rate pair per line, e.g. 26,583000)',
      'rates.csv:3: has 1 column, expected 2 (write one seconds,rate pair per line, e.g. 26,583000)',
    ]);
  });

  it('an unknown header', () => {
    expect(problemsOf(file('timestamp,orders', '0,1'))).toEqual([
      'rates.csv:1: unknown header "timestamp,orders" (the first line is either the header seconds,rate (or time,rate) or a first data row)',
    ]);
  });

  it('an empty file, only blank lines, or only a header', () => {
    const empty = ['rates.csv:1: has no data rows (write a header seconds,rate then one seconds,rate row per line)'];
    expect(problemsOf('')).toEqual(empty);
    expect(problemsOf('\n\n  \n')).toEqual(empty);
    expect(problemsOf(file('seconds,rate'))).toEqual(empty);
  });

  it('every problem at once, in line order, and at most 50 of them plus a note', () => {
    expect(problemsOf(file('seconds,rate', '0,-1', '1,x', '0,1')).map((p) => p.split(':')[1])).toEqual(['2', '3', '4']);
    const many = problemsOf(file('seconds,rate', ...Array.from({ length: 80 }, (_, i) => `${i},-1`)));
    expect(many).toHaveLength(51);
    expect(many[50]).toBe('rates.csv:52: more problems not shown (fix the ones above first)');
  });
});
