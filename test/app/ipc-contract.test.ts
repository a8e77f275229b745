/**
 * The IPC contract in src/ipc: channel table, schemas, validateEvent and the CSP strings.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  EVENT_CHANNELS,
  EVENT_SCHEMAS,
  EVENTS,
  INVOKE,
  INVOKE_CHANNELS,
  INVOKE_NAMES,
  INVOKE_SCHEMAS,
  invokeNameOf,
  MAX_SCENARIO_CHARS,
  type SenderFacts,
} from '../../src/ipc';
import {
  CONTENT_SECURITY_POLICY,
  CONTENT_SECURITY_POLICY_HEADER,
  cspMetaTag,
  devContentSecurityPolicy,
  REPORT_CONTENT_SECURITY_POLICY,
} from '../../src/ipc/csp';
import { isTrustedRendererUrl, parseInvokeArgs, validateEvent, validateSender } from '../../src/ipc/validate';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PROD = { devServerOrigin: null };
const DEV = { devServerOrigin: 'http://localhost:5173' };

function facts(overrides: Partial<SenderFacts> = {}): SenderFacts {
  return { channel: INVOKE.getSettings, senderUrl: APP_ENTRY_URL, isMainFrame: true, isKnownWindow: true, ...overrides };
}

/** Parses a CSP string into directive -> sources. */
function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

describe('channel table', () => {
  it('names every channel once, under the queuelab: prefix', () => {
    const all = [...INVOKE_CHANNELS, ...EVENT_CHANNELS];
    expect(new Set(all).size).toBe(all.length);
    for (const channel of all) expect(channel).toMatch(/^queuelab:[a-z]+\.[A-Za-z]+$/);
  });

  it('has a schema for every invoke channel and every event, and nothing else', () => {
    expect(Object.keys(INVOKE_SCHEMAS).sort()).toEqual([...INVOKE_NAMES].sort());
    expect(Object.keys(EVENT_SCHEMAS).sort()).toEqual(Object.keys(EVENTS).sort());
  });

  it('maps a channel back to its API name, and nothing else', () => {
    for (const name of INVOKE_NAMES) expect(invokeNameOf(INVOKE[name])).toBe(name);
    expect(invokeNameOf('queuelab:menu.command')).toBeNull();
    expect(invokeNameOf('openScenario')).toBeNull();
    expect(invokeNameOf('__proto__')).toBeNull();
  });
});

describe('validateSender', () => {
  it('accepts the main frame of our window on app://queuelab', () => {
    expect(validateSender(facts(), PROD)).toEqual({ ok: true, value: 'getSettings' });
    expect(validateSender(facts({ senderUrl: 'app://queuelab/index.html#/run?x=1' }), PROD).ok).toBe(true);
  });

  it('refuses an unknown channel', () => {
    const v = validateSender(facts({ channel: 'queuelab:shell.exec' }), PROD);
    expect(v).toEqual({ ok: false, reason: 'unknown channel "queuelab:shell.exec"' });
  });

  it('refuses other origins, look-alikes and the report host', () => {
    for (const url of [
      'file:///home/u/index.html',
      'https://example.com/',
      'app://queuelab.evil/index.html',
      'app://evil/index.html',
      'app://report/0b0b0b0b-0000-4000-8000-000000000000.html',
      'app://user@queuelab/index.html',
      'http://localhost:5173/',
      'devtools://devtools/bundled/inspector.html',
      'about:blank',
      'data:text/html,<p>hi</p>',
      'not a url',
    ]) {
      const v = validateSender(facts({ senderUrl: url }), PROD);
      expect(v.ok, url).toBe(false);
    }
  });

  it('accepts the dev server origin only when one is configured, and only that origin', () => {
    expect(validateSender(facts({ senderUrl: 'http://localhost:5173/' }), DEV).ok).toBe(true);
    expect(validateSender(facts({ senderUrl: 'http://localhost:5174/' }), DEV).ok).toBe(false);
    expect(validateSender(facts({ senderUrl: 'http://127.0.0.1:5173/' }), DEV).ok).toBe(false);
    expect(validateSender(facts({ senderUrl: 'http://localhost:5173/' }), PROD).ok).toBe(false);
    expect(validateSender(facts(), DEV).ok).toBe(true); // app:// still fine in dev
  });

  it('refuses subframes, unknown windows and destroyed frames', () => {
    expect(validateSender(facts({ isMainFrame: false }), PROD)).toEqual({ ok: false, reason: 'sender is a subframe' });
    expect(validateSender(facts({ isKnownWindow: false }), PROD)).toEqual({ ok: false, reason: 'sender is not a window of this app' });
    expect(validateSender(facts({ senderUrl: null }), PROD)).toEqual({ ok: false, reason: 'the sender frame is gone' });
  });

  it('keeps query strings out of the log reason', () => {
    const v = validateSender(facts({ senderUrl: 'https://evil.example/page?token=secret' }), PROD);
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.reason).not.toContain('secret');
  });

  it('isTrustedRendererUrl agrees', () => {
    expect(isTrustedRendererUrl(APP_ENTRY_URL, PROD)).toBe(true);
    expect(isTrustedRendererUrl('app://queuelab:8080/index.html', PROD)).toBe(false);
  });
});

describe('argument schemas', () => {
  const save = { documentId: 'd-1', content: 'version: 1\n', suggestedName: 'flash-sale.queuelab' };

  it('accepts well-formed arguments for every channel', () => {
    const good: { [N in (typeof INVOKE_NAMES)[number]]: unknown[] } = {
      openScenario: [],
      openRecent: ['0123456789abcdef'],
      listRecent: [],
      saveScenario: [save],
      saveScenarioAs: [{ documentId: null, content: '', suggestedName: 'Untitled.queuelab' }],
      updateDraft: [{ documentId: null, name: 'Untitled.queuelab', content: 'x' }],
      discardDraft: [],
      dismissRecovered: ['recovered-abc-0123'],
      exportReport: [{ kind: 'pdf', content: '<html></html>', suggestedName: 'report.pdf' }],
      getSettings: [],
      setTheme: ['dark'],
      setLanguage: ['zh-CN'],
      openDocs: [],
    };
    for (const name of INVOKE_NAMES) {
      expect(parseInvokeArgs(name, good[name]), name).toMatchObject({ ok: true });
    }
  });

  it('refuses missing, extra and mistyped arguments', () => {
    expect(parseInvokeArgs('openScenario', ['/etc/passwd']).ok).toBe(false);
    expect(parseInvokeArgs('saveScenario', []).ok).toBe(false);
    expect(parseInvokeArgs('saveScenario', [save, save]).ok).toBe(false);
    expect(parseInvokeArgs('setTheme', ['sepia']).ok).toBe(false);
    expect(parseInvokeArgs('setLanguage', ['fr']).ok).toBe(false);
    expect(parseInvokeArgs('exportReport', [{ kind: 'docx', content: '', suggestedName: 'r.docx' }]).ok).toBe(false);
  });

  it('refuses unknown keys: a path can not ride along', () => {
    expect(parseInvokeArgs('saveScenario', [{ ...save, path: '/etc/cron.d/x' }]).ok).toBe(false);
    expect(parseInvokeArgs('updateDraft', [{ documentId: null, name: 'a.queuelab', content: '', originalPath: '/x' }]).ok).toBe(false);
  });

  it('refuses file names with directories or control characters, and ids that main did not mint', () => {
    for (const suggestedName of ['../x.queuelab', '/etc/passwd', 'C:\\x.queuelab', 'a\u0000b', '..', '', 'x'.repeat(256)]) {
      expect(parseInvokeArgs('saveScenarioAs', [{ documentId: null, content: '', suggestedName }]).ok, suggestedName).toBe(false);
    }
    for (const id of ['../../x', '/abs', 'a b', '', 'x'.repeat(65)]) {
      expect(parseInvokeArgs('openRecent', [id]).ok, id).toBe(false);
      expect(parseInvokeArgs('dismissRecovered', [id]).ok, id).toBe(false);
    }
  });

  it('refuses oversized scenario text', () => {
    const big = 'x'.repeat(MAX_SCENARIO_CHARS + 1);
    expect(parseInvokeArgs('updateDraft', [{ documentId: null, name: 'a.queuelab', content: big }]).ok).toBe(false);
  });

  it('validateEvent runs the sender checks before the schema', () => {
    expect(validateEvent(facts({ channel: INVOKE.setTheme }), ['dark'], PROD)).toEqual({ ok: true, value: { name: 'setTheme', args: ['dark'] } });
    const bad = validateEvent(facts({ channel: INVOKE.setTheme, isMainFrame: false }), ['sepia'], PROD);
    expect(bad).toEqual({ ok: false, reason: 'sender is a subframe' });
    const badArgs = validateEvent(facts({ channel: INVOKE.setTheme }), ['sepia'], PROD);
    expect(badArgs.ok).toBe(false);
    if (!badArgs.ok) expect(badArgs.reason).toMatch(/^invalid arguments for setTheme/);
  });

  it('event payload schemas accept what main sends', () => {
    expect(EVENT_SCHEMAS.menu.safeParse({ command: 'report.export', kind: 'csv' }).success).toBe(true);
    expect(EVENT_SCHEMAS.menu.safeParse({ command: 'file.openRecent', recentId: '0123456789abcdef' }).success).toBe(true);
    expect(EVENT_SCHEMAS.menu.safeParse({ command: 'shell.exec' }).success).toBe(false);
    expect(EVENT_SCHEMAS.settings.safeParse({ theme: 'dark', language: 'en' }).success).toBe(true);
  });
});

describe('Content-Security-Policy', () => {
  it('is the strict policy of the security reference', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self' data:; " +
        "connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'none'",
    );
    const d = directives(CONTENT_SECURITY_POLICY);
    for (const sources of d.values()) {
      expect(sources).not.toContain("'unsafe-inline'");
      expect(sources).not.toContain("'unsafe-eval'");
      expect(sources.some((s) => /^https?:/.test(s) || s === '*')).toBe(false);
    }
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.has('frame-ancestors')).toBe(false); // ignored in a meta tag
  });

  it('the header adds frame-ancestors', () => {
    expect(directives(CONTENT_SECURITY_POLICY_HEADER).get('frame-ancestors')).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY_HEADER.startsWith(CONTENT_SECURITY_POLICY)).toBe(true);
  });

  it('the report policy can reach nothing', () => {
    const d = directives(REPORT_CONTENT_SECURITY_POLICY);
    expect(d.get('default-src')).toEqual(["'none'"]);
    expect(d.get('connect-src')).toEqual(["'none'"]);
    expect([...d.values()].flat().some((s) => /^(https?|wss?):/.test(s) || s === '*' || s === "'self'")).toBe(false);
  });

  it('the dev policy allows only the dev server websocket on top', () => {
    const d = directives(devContentSecurityPolicy('http://localhost:5173'));
    expect(d.get('connect-src')).toEqual(["'self'", 'ws://localhost:5173']);
    expect(d.get('object-src')).toEqual(["'none'"]);
  });

  it('is the policy of the renderer page, src/ui/index.html', () => {
    const html = readFileSync(path.join(ROOT, 'src/ui/index.html'), 'utf8');
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(html);
    expect(meta?.[1]).toBe(CONTENT_SECURITY_POLICY);
    // Before any script: a policy added after a script does not apply to it.
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<script'));
  });

  it('renders the meta tag for index.html', () => {
    expect(cspMetaTag()).toBe(`<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`);
  });
});
