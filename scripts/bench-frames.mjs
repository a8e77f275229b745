#!/usr/bin/env node
/* global console, process, URL, performance, requestAnimationFrame -- the last two run inside the page */
/**
 * Frame-time benchmark of the web UI (not a test): builds the page if dist-web/ is missing (or
 * with --build), serves it on 127.0.0.1, opens it in headless Debian Chromium, plays the heaviest
 * scenario of the library at max speed and measures requestAnimationFrame deltas in the page.
 *
 *   node scripts/bench-frames.mjs [--build] [--seconds 10] [--scenario double12.yaml]
 *
 * Prints p50 / p95 / p99 / max frame times; the aim is p95 < 16.7 ms (60 frames per second).
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = process.env.BENCH_DIST ?? path.join(root, 'dist-web');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const seconds = Number(option('seconds', '10'));
const scenario = option('scenario', 'double12.yaml');

if (args.includes('--build') || !existsSync(path.join(dist, 'index.html'))) {
  const { build } = await import('vite');
  await build({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });
}

const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css' };
const server = createServer((request, response) => {
  const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
  const file = path.resolve(dist, `.${pathname.endsWith('/') ? `${pathname}index.html` : pathname}`);
  if (!file.startsWith(dist) || !existsSync(file) || !statSync(file).isFile()) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(response);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/?lng=en&theme=light&scenario=${encodeURIComponent(scenario)}${process.env.BENCH_QUERY ?? ''}`;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  await page.waitForSelector(`[data-testid="file-name"]:has-text("${scenario}")`);
  await page.waitForSelector('[data-testid="play"]:not([disabled])');
  await page.click('[data-testid="speed-max"]');
  await page.click('[data-testid="play"]');
  await page.waitForTimeout(500);
  const startUs = Number(await page.getAttribute('[data-testid="sim-time"]', 'data-us'));
  const deltas = await page.evaluate(
    (durationMs) =>
      new Promise((resolve) => {
        const out = [];
        let last = performance.now();
        const end = last + durationMs;
        const frame = (now) => {
          out.push(now - last);
          last = now;
          if (now < end) requestAnimationFrame(frame);
          else resolve(out);
        };
        requestAnimationFrame(frame);
      }),
    seconds * 1000,
  );
  const endUs = Number(await page.getAttribute('[data-testid="sim-time"]', 'data-us'));
  const rows = await page.getAttribute('[data-testid="chart-throughput"]', 'data-rows');
  const sorted = [...deltas].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const ms = (v) => `${v.toFixed(1)} ms`;
  console.log(`scenario ${scenario} at max speed, ${seconds} s of wall time, 1366x768, headless Chromium`);
  console.log(`frames ${deltas.length} (${(deltas.length / seconds).toFixed(1)} fps)`);
  console.log(`frame time p50 ${ms(at(0.5))}  p95 ${ms(at(0.95))}  p99 ${ms(at(0.99))}  max ${ms(sorted[sorted.length - 1])}`);
  // rAF deltas sit at the 16.7 ms vsync interval with about 0.1 ms of jitter; a missed frame shows as 33 ms.
  console.log(`missed frames (delta > 20 ms): ${deltas.filter((d) => d > 20).length} of ${deltas.length}; over 50 ms: ${deltas.filter((d) => d > 50).length}`);
  console.log(`simulated ${((endUs - startUs) / 1e6).toFixed(1)} s in ${seconds} s (series rows on screen: ${rows})`);
  console.log(at(0.95) <= 17.2 ? 'OK: p95 at the 16.7 ms frame interval (60 fps)' : 'ABOVE TARGET: p95 > 16.7 ms');
  if (errors.length > 0) console.log(`page errors: ${errors.join('; ')}`);
} finally {
  await browser.close();
  server.close();
}
