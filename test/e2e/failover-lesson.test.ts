/**
 * End-to-end: the failover lesson of shared/UI.md in the web build, as far as the model goes.
 * Builds the UI with Vite, serves it on 127.0.0.1, drives Debian Chromium with playwright-core,
 * and saves screenshots of the main states in test-artifacts/screenshots/.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenario } from '../../src/run';
import { loadScenario } from '../../src/scenario';
import { serveStatic, type StaticServer } from './static-server';

const ROOT = path.resolve(__dirname, '../..');
const SHOTS = path.join(ROOT, 'test-artifacts/screenshots');
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let outDir: string;
let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  outDir = mkdtempSync(path.join(tmpdir(), 'queuelab-web-'));
  await build({ configFile: path.join(ROOT, 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  server = await serveStatic(outDir);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  mkdirSync(SHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (outDir !== undefined) rmSync(outDir, { recursive: true, force: true });
});

const byId = (id: string) => `[data-testid="${id}"]`;

async function simUs(page: Page): Promise<number> {
  return Number(await page.getAttribute(byId('sim-time'), 'data-us'));
}

async function waitForSimUs(page: Page, atLeastUs: number): Promise<void> {
  await page.waitForFunction((us) => Number(document.querySelector('[data-testid="sim-time"]')?.getAttribute('data-us')) >= us, atLeastUs, {
    timeout: 30_000,
  });
}

async function waitForText(page: Page, id: string, pattern: RegExp): Promise<void> {
  await page.waitForFunction(
    ([selector, source, flags]) => new RegExp(source!, flags).test(document.querySelector(selector!)?.textContent ?? ''),
    [byId(id), pattern.source, pattern.flags],
    { timeout: 30_000 },
  );
}

/**
 * Follows a message on a link through the link's menu. A dot still on its way may take the click
 * instead, which follows a message of the same link at once: either way the panel opens.
 */
async function followOnLink(page: Page, linkId: string): Promise<void> {
  await page.click(byId(linkId));
  await page.waitForSelector(`${byId('node-menu')}, ${byId('follow-panel')}`);
  if ((await page.locator(byId('node-menu')).count()) > 0) await page.click(byId('menu-link-follow'));
  await page.waitForSelector(byId('follow-panel'));
}

async function playToEnd(page: Page): Promise<void> {
  await page.click(byId('speed-max'));
  if (await page.isEnabled(byId('play'))) await page.click(byId('play'));
  await page.waitForSelector('[data-testid="clock"][data-done="true"]', { timeout: 60_000 });
}

async function dragTimelineTo(page: Page, seconds: number, endSeconds: number): Promise<void> {
  const box = (await page.locator(byId('timeline')).boundingBox())!;
  const x = box.x + 30 + ((box.width - 60) * seconds) / endSeconds;
  const y = box.y + box.height / 3;
  await page.mouse.move(x + 80, y);
  await page.mouse.down();
  await page.mouse.move(x + 40, y, { steps: 3 });
  await page.mouse.move(x, y, { steps: 3 });
  await page.mouse.up();
}

function scenarioOf(file: string) {
  const outcome = loadScenario(readFileSync(path.join(ROOT, 'simulations', file), 'utf8'), { fileName: file });
  if (!outcome.ok) throw new Error(`${file} does not validate`);
  return outcome.scenario;
}

function nodeHash(file: string): string {
  return runScenario(scenarioOf(file)).traceHash;
}

describe('the failover lesson in Chromium', () => {
  it('opens, plays, crashes the leader, shows the failover, replays, and speaks Chinese', { timeout: 180_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') consoleErrors.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => consoleErrors.push(`pageerror: ${error.message}`));
    await page.addInitScript(() => {
      const violations: string[] = [];
      (window as unknown as { cspViolations: string[] }).cspViolations = violations;
      document.addEventListener('securitypolicyviolation', (event) => violations.push(`${event.violatedDirective} ${event.blockedURI}`));
    });
    await page.goto(`${server.url}?lng=en&theme=light&scenario=mm1.yaml`);
    await page.waitForSelector(byId('library'));

    // 1. Open the failover scenario from the library: three brokers, partition 0 led by broker-0.
    await page.click(byId('library-failover-acks-all.yaml'));
    await waitForText(page, 'file-name', /failover-acks-all\.yaml/);
    await page.waitForSelector(`${byId('tile-b0-p0')}[data-role="leader"]`);
    for (const broker of [0, 1, 2]) expect(await page.getAttribute(byId(`broker-${broker}`), 'data-status')).toBe('up');
    expect(await page.getAttribute(byId('tile-b1-p0'), 'data-role')).toBe('follower');
    expect(await page.textContent(byId('partition-0'))).toContain('P0: leader broker-0 · ISR 0, 1, 2');
    await page.screenshot({ path: path.join(SHOTS, '01-loaded.png') });

    // 2. Play: the charts move (their latest values change between two reads).
    await page.click(byId('play'));
    await waitForSimUs(page, 1_500_000);
    const line = `${byId('chart-throughput')} path.s-produced`;
    const first = { rows: await page.getAttribute(byId('chart-throughput'), 'data-rows'), path: await page.getAttribute(line, 'd') };
    await page.waitForFunction((rows) => Number(document.querySelector('[data-testid="chart-throughput"]')?.getAttribute('data-rows')) > rows, Number(first.rows));
    // The line is drawn by D3 just after React has updated the figure.
    await page.waitForFunction(([selector, before]) => document.querySelector(selector!)?.getAttribute('d') !== before, [line, first.path] as const);
    const second = { rows: await page.getAttribute(byId('chart-throughput'), 'data-rows'), path: await page.getAttribute(line, 'd') };
    expect(Number(second.rows)).toBeGreaterThan(Number(first.rows));
    expect(second.path).not.toBe(first.path); // the line grew
    expect(Number(await page.getAttribute(byId('chart-latency'), 'data-rows'))).toBeGreaterThan(0);
    expect(await page.textContent(byId('now-throughput'))).toMatch(/\d/);
    expect(await page.textContent(byId('lod'))).toMatch(/1 dot = /);
    // A click on a moving dot follows one of its messages: find a painted pixel of the dot
    // canvas and click there in the same task, before the dot moves on. A dot can move out of
    // reach between the paint and the click (a frame later), so, like a user, try again.
    let followedByDot = false;
    for (let attempt = 0; attempt < 10 && !followedByDot; attempt++) {
      const clickedDot = await page.evaluate(() => {
        const canvas = document.querySelector<HTMLCanvasElement>('.stage canvas')!;
        const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 3; i < pixels.length; i += 4 * 3) {
          if (pixels[i]! < 200) continue;
          const rect = canvas.getBoundingClientRect();
          const pixel = (i - 3) / 4;
          const x = rect.left + ((pixel % canvas.width) / canvas.width) * rect.width;
          const y = rect.top + (Math.floor(pixel / canvas.width) / canvas.height) * rect.height;
          canvas.parentElement!.dispatchEvent(new MouseEvent('click', { clientX: x, clientY: y, bubbles: true }));
          return true;
        }
        return false;
      });
      if (!clickedDot) {
        await page.waitForTimeout(100);
        continue;
      }
      followedByDot = await page
        .waitForSelector(byId('follow-panel'), { timeout: 1_000 })
        .then(() => true)
        .catch(() => false);
    }
    expect(followedByDot).toBe(true);
    await page.waitForSelector(byId('follow-panel'));
    expect(await page.textContent(byId('follow-panel'))).toMatch(/created by the producer/);
    await page.click(byId('follow-close'));
    // Pause before the scenario's own faults (5 s); the dots in flight finish their way.
    await page.click(byId('pause'));
    await page.screenshot({ path: path.join(SHOTS, '02-playing.png') });

    // Follow a message (the producer's link to the leader): its envelope and its hops, each with the time spent.
    await followOnLink(page, 'link-producer-broker-0');
    const followed = (await page.textContent(byId('follow-panel')))!;
    expect(followed).toMatch(/Message \d/);
    expect(followed).toContain('sent to broker-0');
    expect(followed).toContain('written by the leader broker-0');
    expect(followed).toMatch(/copied by the follower broker-[12]/);
    expect(followed).toMatch(/\+[\d.]+ ms on the network/);
    await page.screenshot({ path: path.join(SHOTS, '02b-follow-message.png') });
    await page.click(byId('follow-close'));
    await page.waitForSelector(byId('follow-panel'), { state: 'detached' });

    // 3. Crash the leader by clicking it: its tile goes red; after the session timeout the
    //    controller elects broker-1 and the ISR shrinks.
    const crashAtUs = await simUs(page);
    expect(crashAtUs).toBeLessThan(5_000_000); // before the scenario's own faults
    await page.click(`${byId('broker-0')} .node-label`);
    await page.waitForSelector(byId('node-menu'));
    await page.click(byId('menu-broker-crash'));
    await page.waitForSelector(`${byId('broker-0')}[data-status="down"]`);
    expect(await page.getAttribute(byId('tile-b0-p0'), 'data-role')).toBe('failed');
    expect(await page.textContent(byId('partition-0'))).toContain('leader broker-0');
    await page.screenshot({ path: path.join(SHOTS, '03-leader-crashed.png') });
    // Step one second at a time (the Step button) until the controller has elected a new leader.
    for (let i = 0; i < 20 && !(await page.textContent(byId('partition-0')))!.includes('leader broker-1'); i++) {
      const before = await simUs(page);
      await page.click(byId('step'));
      await page.waitForFunction((us) => Number(document.querySelector('[data-testid="sim-time"]')?.getAttribute('data-us')) > us, before);
    }
    const electedAtUs = await simUs(page);
    // broker.session.timeout.ms (9 s) after the last heartbeat, which came up to 2 s before the crash.
    expect(electedAtUs).toBeGreaterThan(crashAtUs + 6_000_000);
    expect(electedAtUs).toBeLessThan(crashAtUs + 11_000_000);
    expect(await page.textContent(byId('partition-0'))).toContain('P0: leader broker-1 · ISR 1, 2');
    // The topology redraws a frame after the numbers.
    await page.waitForSelector(`${byId('tile-b1-p0')}[data-role="leader"]`);
    expect(await page.getAttribute(byId('tile-b0-p0'), 'data-role')).toBe('failed');
    expect(Number(await page.textContent(byId('now-isr-shrinks')))).toBeGreaterThanOrEqual(1);
    expect(await page.locator('[data-testid="timeline"] path[data-kind="election"]').count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('[data-testid="timeline"] path[data-kind="fault"]').count()).toBeGreaterThanOrEqual(1);
    await page.click(byId('tile-b1-p0'));
    await page.waitForSelector(byId('selection'));
    expect(await page.textContent(byId('selection'))).toMatch(/In-sync replicas\s*broker-1, broker-2/);
    await page.keyboard.press('Escape');
    await page.screenshot({ path: path.join(SHOTS, '04-failover.png') });

    // Run on to the end: the produce latency of the requests stuck on the dead leader shows in p99.
    await playToEnd(page);
    await page.waitForSelector(`${byId('chart-latency')}[data-rows="200"]`);
    const latencies = await page.evaluate(() => document.querySelector('[data-testid="chart-latency"] desc')?.textContent ?? '');
    expect(latencies).toMatch(/p99/);
    const hashAfterCrash = (await page.textContent(byId('trace-hash')))!;
    await page.screenshot({ path: path.join(SHOTS, '05-run-complete.png') });

    // 4. Drag the timeline back before the crash: the run replays with the recorded crash.
    await dragTimelineTo(page, 1, 200);
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="sim-time"]')?.getAttribute('data-us')) < 3_000_000);
    await page.waitForSelector(`${byId('broker-0')}[data-status="up"]`);
    expect(await page.textContent(byId('partition-0'))).toContain('leader broker-0');
    await playToEnd(page);
    expect(await page.textContent(byId('trace-hash'))).toBe(hashAfterCrash);

    // 5. Same scenario without the live fault: the page's trace hash is the one Node computes.
    await page.click(byId('library-failover-acks-all.yaml'));
    await page.waitForFunction(() => document.querySelector('[data-testid="sim-time"]')?.getAttribute('data-us') === '0');
    await playToEnd(page);
    expect(await page.textContent(byId('trace-hash'))).toBe(nodeHash('failover-acks-all.yaml'));
    expect(await page.textContent(byId('now-lost'))).toMatch(/^0/);

    // 6. The lesson's step 4: acks=1 (and min.insync.replicas=1), replay with the same seed: acknowledged orders are lost.
    await page.selectOption(byId('param-acks'), '1');
    await page.fill(byId('param-minInsyncReplicas'), '1');
    await page.click(byId('apply'));
    await page.waitForFunction(() => document.querySelector('[data-testid="sim-time"]')?.getAttribute('data-us') === '0');
    await playToEnd(page);
    const lost = (await page.textContent(byId('now-lost')))!;
    expect(Number(lost.replace(/\D/g, ''))).toBeGreaterThan(100);
    expect(await page.textContent(byId('lost-cause-acked-then-leader-failed-unreplicated'))).toMatch(/leader failed/);
    await page.screenshot({ path: path.join(SHOTS, '06-acks1-loss.png') });

    // 5 of the lesson, as far as the web build goes: the run's summary.json and time series download.
    const [summaryDownload] = await Promise.all([page.waitForEvent('download'), page.click(byId('export-summary'))]);
    expect(summaryDownload.suggestedFilename()).toBe('failover-acks-all.summary.json');
    const summary = JSON.parse(readFileSync((await summaryDownload.path())!, 'utf8'));
    expect(summary).toMatchObject({ schema: 1, seed: 1, traceHash: await page.textContent(byId('trace-hash')) });
    expect(summary.messages.lost).toBeGreaterThan(100);
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.click(byId('export-csv'))]);
    expect(csvDownload.suggestedFilename()).toBe('failover-acks-all.timeseries.csv');
    const csv = readFileSync((await csvDownload.path())!, 'utf8');
    expect(csv.startsWith('\uFEFFtimeSeconds [s],producedPerSec [msg/s],')).toBe(true);
    expect(csv.trim().split('\n')).toHaveLength(201);
    // The report: the same self-contained report.html as `queuelab run --out`, with the loss in its findings.
    const [reportDownload] = await Promise.all([page.waitForEvent('download'), page.click(byId('export-report'))]);
    expect(reportDownload.suggestedFilename()).toBe('failover-acks-all.report.html');
    const report = readFileSync((await reportDownload.path())!, 'utf8');
    expect(report).toContain('<svg');
    expect(report).toMatch(/acked-then-leader-failed-unreplicated/);
    expect(report).toContain(summary.traceHash);
    expect(report).not.toMatch(/<script src|https?:\/\//);

    // A parameter the CLI would refuse is refused with the CLI's words.
    await page.fill(byId('param-replicationFactor'), '5');
    await page.click(byId('validate'));
    await waitForText(page, 'problems', /kafka\.replicationFactor: /);

    // Open a file from disk: the web build falls back to a file input.
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click(byId('open'))]);
    const edited = readFileSync(path.join(ROOT, 'simulations/failover-acks1.yaml'), 'utf8').replace('partitions: 1', 'partitions: 3');
    await chooser.setFiles({ name: 'my-failover.yaml', mimeType: 'application/yaml', buffer: Buffer.from(edited) });
    await waitForText(page, 'file-name', /my-failover\.yaml/);
    await page.waitForSelector(byId('tile-b2-p2'));
    expect(await page.inputValue(byId('param-partitions'))).toBe('3');

    // 7. Chinese: headings and numbers follow the locale.
    await page.fill(byId('param-replicationFactor'), '3');
    await page.click(byId('validate'));
    await page.click(byId('language'));
    await page.waitForSelector('html[lang="zh-CN"]');
    expect(await page.textContent('#scenario-title')).toBe('场景');
    expect(await page.textContent('#now-title')).toBe('当前');
    expect(await page.textContent('#topology-title')).toBe('拓扑');
    await page.screenshot({ path: path.join(SHOTS, '07-chinese.png') });

    // 8. Dark theme, and the help dialog lists the shortcuts.
    await page.click(byId('theme'));
    await page.waitForSelector('html[data-theme="dark"]');
    await page.click(byId('language'));
    await page.waitForSelector('html[lang="en"]');
    await page.screenshot({ path: path.join(SHOTS, '08-dark.png') });
    await page.keyboard.press('?');
    await page.waitForSelector(byId('help-dialog'));
    expect(await page.textContent(byId('help-dialog'))).toContain('Play / pause');
    await page.screenshot({ path: path.join(SHOTS, '09-help.png') });
    await page.keyboard.press('Escape');

    // A client link takes faults by click: cut the producer's link to broker-0.
    await page.click(byId('library-failover-acks-all.yaml'));
    await page.waitForSelector(`${byId('tile-b0-p0')}[data-role="leader"]`);
    await page.click(byId('link-producer-broker-0'));
    await page.click(byId('menu-link-cut'));
    await page.waitForSelector(`${byId('link-producer-broker-0')}.cut`);
    await page.screenshot({ path: path.join(SHOTS, '09b-link-cut.png') });

    // 9. The sale: orders jump at midnight (the queue shaves the peak).
    await page.click(byId('library-double12.yaml'));
    await waitForText(page, 'file-name', /double12\.yaml/);
    const sale = scenarioOf('double12.yaml').kafka!;
    await page.waitForSelector(`${byId(`tile-b${sale.brokers - 1}-p${sale.brokers - 1}`)}[data-role="leader"]`);
    await page.click(byId('speed-max'));
    await page.click(byId('play'));
    await waitForText(page, 'now-orders', /\d{2},\d{3}/); // about 20,000 orders/s before midnight
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="chart-business"]')?.getAttribute('data-last')?.split(',')[0]) > 60_000,
      undefined,
      { timeout: 60_000 },
    );
    await page.click(byId('pause'));
    expect(await page.locator('[data-testid^="broker-"]').count()).toBe(sale.brokers);
    expect(await page.locator('[data-testid^="consumer-"]').count()).toBe(sale.consumers.count);
    // The sale's services around the cluster: buyers -> gateway -> order service, and the push service after the stock service.
    expect(await page.textContent(byId('users'))).toBe('buyers');
    expect(await page.textContent(`${byId('svc-gateway')} .node-label`)).toBe('gateway');
    expect(await page.textContent(`${byId('svc-gateway')} .node-sub`)).toMatch(/admitted [\d.]+K\/s.*refused/);
    expect(await page.textContent(`${byId('svc-push')} .node-label`)).toBe('push service');
    expect(await page.textContent(`${byId('svc-push')} .node-sub`)).toMatch(/sent [\d.]+K\/s.*queued/);
    expect(await page.locator('[data-testid="link-svc-gateway-producer"]').count()).toBe(1);
    await page.screenshot({ path: path.join(SHOTS, '10-sale-midnight.png') });
    await followOnLink(page, 'link-producer-broker-0');
    expect(await page.textContent(byId('follow-panel'))).toContain('Stock key');
    await page.screenshot({ path: path.join(SHOTS, '10b-sale-follow-order.png') });

    // No console errors or warnings, no CSP violations.
    expect(consoleErrors).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
    await page.close();
  });
});
