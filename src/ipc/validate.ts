/**
 * validateEvent: the checks main runs on every IPC request before a handler sees it
 * (Electron security checklist item 17). Pure: main gathers the facts about the sender
 * (app/ipc-main.ts) and this decides.
 *
 * 1. The channel is in the table (./channels.ts).
 * 2. The sender frame's URL is the app's own origin (app://queuelab), or, in development only,
 *    the dev server's origin.
 * 3. The sender frame is the main frame (no iframes) of a window main created.
 * 4. The arguments parse with the channel's schema (./schemas.ts).
 */
import { z } from 'zod';
import { APP_HOST, APP_SCHEME, type InvokeName, invokeNameOf } from './channels';
import { INVOKE_SCHEMAS, type InvokeArgs } from './schemas';

export interface SenderFacts {
  channel: string;
  /** `event.senderFrame.url`; null when the frame is gone. */
  senderUrl: string | null;
  /** The sender frame has no parent frame. */
  isMainFrame: boolean;
  /** The sender's webContents belongs to a window that main created and still tracks. */
  isKnownWindow: boolean;
}

export interface TrustPolicy {
  /** Origin of the Vite dev server (e.g. "http://localhost:5173") when running unpackaged in dev; null otherwise. */
  devServerOrigin: string | null;
}

export type Verdict<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Is this URL one of ours: app://queuelab/..., or the dev server when one is configured? */
export function isTrustedRendererUrl(url: string, policy: TrustPolicy): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === `${APP_SCHEME}:`) {
    // Node's WHATWG URL gives origin "null" for non-special schemes, so compare the parts.
    return parsed.host === APP_HOST && parsed.username === '' && parsed.password === '';
  }
  if (policy.devServerOrigin !== null) {
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.origin === new URL(policy.devServerOrigin).origin;
  }
  return false;
}

/** Checks 1–3: who is asking. */
export function validateSender(facts: SenderFacts, policy: TrustPolicy): Verdict<InvokeName> {
  const name = invokeNameOf(facts.channel);
  if (name === null) return { ok: false, reason: `unknown channel ${JSON.stringify(facts.channel)}` };
  if (facts.senderUrl === null) return { ok: false, reason: 'the sender frame is gone' };
  if (!isTrustedRendererUrl(facts.senderUrl, policy)) {
    return { ok: false, reason: `sender ${describeUrl(facts.senderUrl)} is not the app's own page` };
  }
  if (!facts.isMainFrame) return { ok: false, reason: 'sender is a subframe' };
  if (!facts.isKnownWindow) return { ok: false, reason: 'sender is not a window of this app' };
  return { ok: true, value: name };
}

/** Check 4: the arguments, as a tuple (no missing and no extra arguments). */
export function parseInvokeArgs<N extends InvokeName>(name: N, args: readonly unknown[]): Verdict<InvokeArgs<N>> {
  const schema: z.ZodType = INVOKE_SCHEMAS[name].args;
  const parsed = schema.safeParse(args);
  if (!parsed.success) {
    return { ok: false, reason: `invalid arguments for ${name}: ${z.prettifyError(parsed.error).replace(/\n/g, '; ')}` };
  }
  return { ok: true, value: parsed.data as InvokeArgs<N> };
}

export interface ValidatedRequest {
  name: InvokeName;
  args: readonly unknown[];
}

/** All four checks. On success, the request's API method name and its parsed arguments. */
export function validateEvent(facts: SenderFacts, args: readonly unknown[], policy: TrustPolicy): Verdict<ValidatedRequest> {
  const sender = validateSender(facts, policy);
  if (!sender.ok) return sender;
  const parsed = parseInvokeArgs(sender.value, args);
  if (!parsed.ok) return parsed;
  return { ok: true, value: { name: sender.value, args: parsed.value } };
}

/** A URL for a log line: scheme, host and path, without query or fragment (which could carry data). */
function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return JSON.stringify(`${u.protocol}//${u.host}${u.pathname}`.slice(0, 200));
  } catch {
    return '(unparsable URL)';
  }
}
