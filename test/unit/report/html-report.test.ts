import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SeriesColumn } from '../../../src/metrics/time-series';
import { CHART_ORDER, htmlReport, REPORT_CSP } from '../../../src/report/html-report';
import { REPORT_CSS, REPORT_CSS_SHA256 } from '../../../src/report/report-css';
import { svgLineChart } from '../../../src/report/svg-chart';
import { SAMPLE_COLUMNS, sampleSeries, sampleSummary } from './fixtures';

const GENERATED_BY = 'queuelab 0.1.0 (test)';

function report(options: Partial<Parameters<typeof htmlReport>[0]> = {}): string {
  return htmlReport({ summary: sampleSummary(), series: sampleSeries(), generatedBy: GENERATED_BY, ...options });
}

/** The markup of one chart figure, by chart id. */
function figure(page: string, chart: string): string {
  const match = new RegExp(`<figure class="chart" data-chart="${chart}">[\\s\\S]*?</figure>`).exec(page);
  if (!match) throw new Error(`no figure for chart ${chart}`);
  return match[0];
}

function attribute(markup: string, name: string): number {
  const match = new RegExp(`\\b${name}="(-?[\\d.]+)"`).exec(markup);
  if (!match) throw new Error(`no ${name} in ${markup.slice(0, 200)}`);
  return Number(match[1]);
}

describe('htmlReport: the document', () => {
  const page = report();

  it('is one self-contained HTML file: no URL, no script, no event handler, no external resource', () => {
    expect(page.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(page).not.toMatch(/https?:\/\//);
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/<(link|img|iframe|object|embed)\b/i);
    expect(page).not.toMatch(/\son[a-z]+\s*=/i);
    expect(page).not.toMatch(/url\(|@import|@font-face/i);
    expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;sha256-`);
    expect(REPORT_CSP).not.toContain('unsafe');
    expect(page).toContain('<html lang="en">');
  });

  it('allows its own stylesheet by hash: REPORT_CSS_SHA256 is the SHA-256 of REPORT_CSS', () => {
    const actual = createHash('sha256').update(REPORT_CSS, 'utf8').digest('base64');
    expect(REPORT_CSS_SHA256, `update REPORT_CSS_SHA256 in src/report/report-css.ts to '${actual}'`).toBe(actual);
    expect(page).toContain(`<style>${REPORT_CSS}</style>`);
  });

  it('puts the sections in order: title and run facts, findings, expectations, charts, tables', () => {
    const order = [
      '<h1>',
      '<h2>Findings in plain words</h2>',
      '<h2>Expectations</h2>',
      '<h2>Charts</h2>',
      '<h2>Tables</h2>',
      '<h3>Messages</h3>',
      '<h3>Latency percentiles</h3>',
      '<h3>Throughput</h3>',
      '<h3>Cluster</h3>',
      '<h3>Business outcome</h3>',
      '<h3>Faults</h3>',
    ];
    const positions = order.map((text) => page.indexOf(text));
    expect(positions.every((p) => p >= 0), JSON.stringify(positions)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(page).toContain('<h1>Double 12: broker crash at the peak</h1>');
    for (const fact of ['42', '0.3.0', '9f3c2a7b11d04e85', '10\u00a0s', '1,234,567']) expect(page).toContain(`${fact}</`);
  });

  it('formats numbers with thousands separators and shows units', () => {
    expect(page).toContain('583,000\u00a0msg<');
    expect(page).toContain('583,000\u00a0msg/s<');
    expect(page).toContain('742\u00a0ms<');
    expect(page).toContain('1,200,000\u00a0msg<');
  });

  it('lists every latency entry of the summary, and queueing only when present', () => {
    expect(page).toContain('End to end');
    expect(page).toContain('Produce (send to acknowledgement)');
    expect(page).not.toContain('Queueing model');
    const queue = report({
      summary: sampleSummary({
        cluster: undefined,
        business: undefined,
        latencyMs: { endToEnd: sampleSummary().latencyMs.endToEnd, queueWait: sampleSummary().latencyMs.endToEnd, service: sampleSummary().latencyMs.endToEnd },
        queueing: {
          model: 'M/M/1',
          servers: 1,
          arrivalRatePerSecond: 80,
          utilisation: 0.8,
          theoryNote: null,
          confidenceLevel: 0.99,
          batches: 20,
          customersPerBatch: 5_000,
          warmupCustomers: 1_000,
          batchLag1Autocorrelation: 0.05,
          measurementNote: null,
          sojournSecondsMean: { measured: 0.0502, halfWidth: 0.001, relativeHalfWidth: 0.02, theory: 0.05, theoryInInterval: true },
          waitSecondsMean: null,
          inSystemMean: null,
          sojournSecondsP99: null,
          littleLaw: { inSystemTimeAverage: 4.01, arrivalRateTimesSojourn: 4.016, relativeDifference: 0.0015 },
        },
      }),
    });
    expect(queue).toContain('Queueing model');
    expect(queue).toContain('Queue wait');
    expect(queue).toContain('80\u00a0%');
    expect(queue).not.toContain('>Cluster<');
    expect(queue).not.toContain('Business outcome');
  });

  it('is deterministic: the same input gives the same bytes', () => {
    expect(report()).toBe(page);
  });
});

describe('htmlReport: findings in plain words', () => {
  const page = report();
  const findings = /<ul class="findings">([\s\S]*?)<\/ul>/.exec(page)?.[1] ?? '';

  it('names every loss cause with its count, largest first', () => {
    expect(findings).toContain('<li class="bad">450 messages were lost: acked-then-leader-failed-unreplicated</li>');
    expect(findings).toContain('<li class="bad">17 messages were lost: acks0-network-drop</li>');
    expect(findings.indexOf('450 messages')).toBeLessThan(findings.indexOf('17 messages'));
  });

  it('states oversell, latency, expectations, SLO breaches with their times, and conservation', () => {
    expect(findings).toContain('<li class="good">No order was oversold</li>');
    expect(findings).toContain('p99 order confirmation 742 ms');
    expect(findings).toContain('1 of 2 expectations were missed: p99OrderMsMax');
    expect(findings).toContain('SLO p99OrderMs &lt;= 500 breached from 5 s to 7.5 s (worst 1,650)');
    expect(findings).toContain('<li class="good">Conservation holds');
  });

  it('says so when nothing was lost, and when conservation fails', () => {
    const clean = report({
      summary: sampleSummary({
        messages: { ...sampleSummary().messages, lost: 0, lostByCause: {} },
        invariants: { conservation: false, violations: ['produced 10 != 9'] },
        expectations: [{ name: 'oversold', expected: '= 0', actual: 0, met: true }],
      }),
    });
    expect(clean).toContain('<li class="good">No message was lost</li>');
    expect(clean).toContain('<li class="bad">Conservation is violated: produced 10 != 9</li>');
    expect(clean).toContain('All 1 expectations were met');
  });
});

describe('htmlReport: charts', () => {
  const page = report();

  it('draws one chart per chart id present in the series, and none for the absent ones', () => {
    const present = ['throughput', 'latency', 'lag', 'loss'];
    for (const id of CHART_ORDER) {
      expect(page.includes(`data-chart="${id}"`), id).toBe(present.includes(id));
    }
    expect(page.match(/<svg /g)).toHaveLength(4);
    expect(figure(page, 'throughput')).toContain('>Produced</text>');
    expect(figure(page, 'throughput')).toContain('>Delivered</text>');
    expect(figure(page, 'throughput')).toContain('>msg/s</text>');
    expect(figure(page, 'throughput')).toContain('>time (s)</text>');
  });

  it('does not chart the time column, and gives a chart that mixes units one panel per unit', () => {
    const columns: SeriesColumn[] = [...SAMPLE_COLUMNS, { key: 'lostPerSec', label: 'Lost per second', unit: 'msg/s', chart: 'loss' }];
    const onlyLatency = sampleSeries(20, 0.5, [SAMPLE_COLUMNS[0]!, SAMPLE_COLUMNS[3]!]);
    expect(report({ series: onlyLatency })).not.toContain('data-chart="throughput"');
    const loss = figure(report({ series: sampleSeries(20, 0.5, columns) }), 'loss');
    expect(loss.match(/<svg /g)).toHaveLength(2);
  });

  it('puts the fault marker at the fault time on the shared x axis, with a band until it ended', () => {
    for (const id of ['throughput', 'latency']) {
      const chart = figure(page, id);
      const plot = /<rect class="plot-area"[^>]*>/.exec(chart)![0];
      const left = attribute(plot, 'x');
      const width = attribute(plot, 'width');
      const marker = /<g class="marker fault" data-at-seconds="5"><line [^>]*>/.exec(chart)![0];
      // x domain is 0..10 s (the simulated time), so 5 s is the middle and 8 s is 80 %.
      expect(attribute(marker, 'x1')).toBeCloseTo(left + 0.5 * width, 0);
      expect(chart).toContain('>broker-crash<');
      const band = /<rect class="fault-band"[^>]*>/.exec(chart)![0];
      expect(attribute(band, 'x')).toBeCloseTo(left + 0.5 * width, 0);
      expect(attribute(band, 'width')).toBeCloseTo(0.3 * width, 0);
    }
  });

  it('marks elections from the timeline, merging those at the same time', () => {
    const chart = figure(page, 'throughput');
    expect(chart).toContain('<g class="marker event" data-at-seconds="5.3">');
    expect(chart).toContain('leader-election ×2');
    expect(chart).toContain('orders-7 leader broker-2 -&gt; broker-3');
  });

  it('leaves a gap where values are NaN, and has hover titles with values', () => {
    const latency = figure(page, 'latency');
    const path = /<g class="series" data-series="1"><path d="([^"]*)"/.exec(latency)![1]!;
    expect(path.match(/M/g)).toHaveLength(2); // delivery stops between 5 s and 6 s
    expect(latency).toMatch(/<title>time \(s\): 10\nEnd-to-end p50: [\d.,]+ ms\nEnd-to-end p99: [\d.,]+ ms<\/title>/);
    expect(latency).toContain('End-to-end p50: – ms');
  });

  it('uses colour-blind-safe colours with a dash pattern for every line but the first', () => {
    const throughput = figure(page, 'throughput');
    expect(throughput).toContain('stroke="#0072B2"');
    expect(throughput).toMatch(/stroke="#D55E00" stroke-width="1.8" stroke-linejoin="round" stroke-linecap="butt" stroke-dasharray="8 3"/);
  });

  it('says there are no charts without a series', () => {
    const none = report({ series: null });
    expect(none).not.toContain('<figure');
    expect(none).toContain('No time series was recorded for this run');
  });

  it('svgLineChart draws a no-data chart, and a standalone SVG with its namespace', () => {
    const svg = svgLineChart({
      title: 'empty',
      times: [1, 2],
      xDomain: [0, 2],
      xAxisLabel: 't',
      yAxisLabel: 'ms',
      unit: 'ms',
      lines: [{ label: 'a', values: [NaN, NaN] }],
      noDataLabel: 'nothing here',
      standalone: true,
    });
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(svg).toContain('>nothing here</text>');
    expect(svg).not.toContain('NaN');
  });
});

describe('htmlReport: escaping user input', () => {
  const evil = '<script>alert(1)</script>';
  const page = report({
    summary: sampleSummary({
      scenario: evil,
      messages: { ...sampleSummary().messages, lostByCause: { [`<img src=x onerror=alert(2)>`]: 467 } },
      faults: [{ atMs: 5_000, kind: '"><svg onload=alert(3)>', target: `broker'2`, endedAtMs: null }],
      expectations: [{ name: '<b>x</b>', expected: '< 1 & > 0', actual: 2, met: false }],
    }),
    series: sampleSeries(20, 0.5, [SAMPLE_COLUMNS[0]!, { key: 'x', label: '</text><script>alert(4)</script>', unit: '<u>', chart: 'lag' }]),
  });

  it('escapes the title, causes, fault kinds, expectation names and column labels', () => {
    expect(page).not.toContain('<script');
    expect(page).not.toContain('<img');
    expect(page).not.toContain('<svg onload');
    expect(page).not.toContain('<b>x</b>');
    expect(page).not.toContain('<u>');
    expect(page).toContain('<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>');
    expect(page).toContain('<title>&lt;script&gt;alert(1)&lt;/script&gt; · QueueLab report</title>');
    expect(page).toContain('467 messages were lost: &lt;img src=x onerror=alert(2)&gt;');
    expect(page).toContain('&quot;&gt;&lt;svg onload=alert(3)&gt;');
    expect(page).toContain('broker&#39;2');
    expect(page).toContain('&lt; 1 &amp; &gt; 0');
  });
});

describe('htmlReport: zh-CN', () => {
  const page = report({ lang: 'zh-CN' });

  it('writes the fixed text in Simplified Chinese', () => {
    expect(page).toContain('<html lang="zh-CN">');
    for (const heading of ['主要发现（通俗说明）', '预期检查', '图表', '明细表', '延迟分位数', '业务结果', '故障']) expect(page).toContain(heading);
    expect(page).toContain('450 条消息丢失：acked-then-leader-failed-unreplicated');
    expect(page).toContain('没有订单超卖');
    expect(page).toContain('守恒成立');
    expect(page).toContain('>时间 (s)</text>');
    expect(page).toContain('>60万</text>'); // compact ticks in 万
    for (const english of ['Findings in plain words', '>Charts<', '>Tables<', 'No order was oversold']) expect(page).not.toContain(english);
  });
});
