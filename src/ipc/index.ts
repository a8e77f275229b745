/**
 * The IPC contract between the Electron shell (app/) and the renderer (src/ui). Pure: no Node,
 * no electron. The renderer should import only types from here (`import type`) plus, if it
 * wants, the CSP constants; main imports the schemas and validateEvent.
 *
 * - ./channels.ts  channel table (no zod; safe for the sandboxed preload bundle)
 * - ./api.ts       the `window.queuelab` type (QueueLabApi) and the Window augmentation
 * - ./schemas.ts   zod schemas per channel
 * - ./validate.ts  validateEvent (sender and argument checks)
 * - ./csp.ts       the Content-Security-Policy strings
 */
export * from './channels';
export type * from './api';
export * from './schemas';
export * from './validate';
export * from './csp';
