/**
 * Content-Security-Policy of the renderer (Electron security checklist item 7).
 *
 * `src/ui/index.html` must carry exactly this policy in a meta tag (see cspMetaTag()):
 *
 *   <meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; ...">
 *
 * The app:// protocol also sends CONTENT_SECURITY_POLICY_HEADER with every HTML response, so the
 * policy holds even if the meta tag is lost. The header adds `frame-ancestors`, which browsers
 * ignore (with a console warning) when it comes from a meta tag.
 *
 * React and d3 set styles through the CSSOM (`element.style.x = ...`), which this policy
 * allows; `setAttribute('style', ...)` / d3 `attr('style', ...)` and inline `<style>`/`<script>`
 * are blocked. The simulation worker must be a same-origin script file (or a blob: URL).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** The same policy as an HTTP header, sent by the app:// protocol for HTML files. */
export const CONTENT_SECURITY_POLICY_HEADER = `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`;

/**
 * Policy of the hidden window that renders a report to PDF. The report HTML is self-contained
 * (inline styles and scripts, data: images and fonts), has no preload and can reach nothing.
 */
export const REPORT_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'unsafe-inline'",
  "style-src 'unsafe-inline'",
  'img-src data: blob:',
  'font-src data:',
  "connect-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * A looser policy for the Vite dev server only (HMR needs an inline preamble, injected <style>
 * tags and a websocket to the dev server). Never use it in a build.
 */
export function devContentSecurityPolicy(devServerOrigin: string): string {
  const origin = new URL(devServerOrigin);
  const ws = `${origin.protocol === 'https:' ? 'wss' : 'ws'}://${origin.host}`;
  return [
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self' ${ws}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** The meta tag to put in the <head> of src/ui/index.html, before any script. */
export function cspMetaTag(policy: string = CONTENT_SECURITY_POLICY): string {
  return `<meta http-equiv="Content-Security-Policy" content="${policy}">`;
}
