/**
 * zod schemas for every IPC channel in ./channels.ts: the arguments main accepts and the
 * results it returns, plus the payloads of main -> renderer events. Main validates every
 * request with these (./validate.ts) before a handler sees it.
 *
 * The TypeScript types are written out in ./api.ts for the renderer to read; the checks at the
 * bottom of this file fail to compile if a schema and its type drift apart.
 */
import { z } from 'zod';
import type { EventName, InvokeName } from './channels';
import type {
  DraftUpdate,
  ExportRequest,
  ExportResult,
  Language,
  MenuCommand,
  OpenedScenario,
  QueueLabInvokeApi,
  RecentEntry,
  RecoveredScenario,
  ReportKind,
  SaveAsRequest,
  SavedScenario,
  SaveRequest,
  Settings,
  Theme,
} from './api';

/** Scenario files are small; anything larger than this is refused (characters of text). */
export const MAX_SCENARIO_CHARS = 5_000_000;
/** Reports carry data: images; still, a bound on what the renderer may push to main. */
export const MAX_REPORT_CHARS = 100_000_000;

/** Opaque ids minted by main: letters, digits, '-' and '_'. */
const opaqueId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not an id minted by QueueLab');

/**
 * A bare file name: no directory part, no control characters, not '.' or '..'. (Windows
 * reserved names are left to the OS dialog, which is where the user picks the final name.)
 */
export const fileNameSchema = z
  .string()
  .min(1)
  .max(255)
  .refine((s) => !/[/\\]/.test(s), 'must be a file name without a directory')
  // eslint-disable-next-line no-control-regex
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters')
  .refine((s) => s !== '.' && s !== '..', 'must be a file name');

const scenarioText = z.string().max(MAX_SCENARIO_CHARS);
const isoTime = z.iso.datetime({ offset: true });

export const themeSchema = z.enum(['system', 'light', 'dark']);
export const languageSchema = z.enum(['en', 'zh-CN']);
export const reportKindSchema = z.enum(['html', 'pdf', 'csv']);

export const settingsSchema = z.strictObject({ theme: themeSchema, language: languageSchema });

export const openedScenarioSchema = z.strictObject({
  documentId: opaqueId,
  name: fileNameSchema,
  content: scenarioText,
});

export const recentEntrySchema = z.strictObject({
  id: opaqueId,
  name: fileNameSchema,
  location: z.string().max(1024),
  openedAt: isoTime,
});

export const saveRequestSchema = z.strictObject({
  documentId: opaqueId.nullable(),
  content: scenarioText,
  suggestedName: fileNameSchema.optional(),
});

export const saveAsRequestSchema = z.strictObject({
  documentId: opaqueId.nullable(),
  content: scenarioText,
  suggestedName: fileNameSchema,
});

export const savedScenarioSchema = z.strictObject({ documentId: opaqueId, name: fileNameSchema });

export const draftUpdateSchema = z.strictObject({
  documentId: opaqueId.nullable(),
  name: fileNameSchema,
  content: scenarioText,
});

export const recoveredScenarioSchema = z.strictObject({
  recoveryId: opaqueId,
  documentId: opaqueId.nullable(),
  name: fileNameSchema,
  content: scenarioText,
  savedAt: isoTime,
});

export const exportRequestSchema = z.strictObject({
  kind: reportKindSchema,
  content: z.string().max(MAX_REPORT_CHARS),
  suggestedName: fileNameSchema,
});

export const exportResultSchema = z.strictObject({ name: fileNameSchema });

export const menuCommandSchema = z.discriminatedUnion('command', [
  z.strictObject({ command: z.literal('file.open') }),
  z.strictObject({ command: z.literal('file.openRecent'), recentId: opaqueId }),
  z.strictObject({ command: z.literal('file.save') }),
  z.strictObject({ command: z.literal('file.saveAs') }),
  z.strictObject({ command: z.literal('report.export'), kind: reportKindSchema }),
  z.strictObject({ command: z.literal('help.shortcuts') }),
]);

/** Arguments (as a tuple: exactly these, no extras) and result of every invoke channel, by API method name. */
export const INVOKE_SCHEMAS = {
  openScenario: { args: z.tuple([]), result: openedScenarioSchema.nullable() },
  openRecent: { args: z.tuple([opaqueId]), result: openedScenarioSchema },
  listRecent: { args: z.tuple([]), result: z.array(recentEntrySchema) },
  saveScenario: { args: z.tuple([saveRequestSchema]), result: savedScenarioSchema.nullable() },
  saveScenarioAs: { args: z.tuple([saveAsRequestSchema]), result: savedScenarioSchema.nullable() },
  updateDraft: { args: z.tuple([draftUpdateSchema]), result: z.void() },
  discardDraft: { args: z.tuple([]), result: z.void() },
  dismissRecovered: { args: z.tuple([opaqueId]), result: z.void() },
  exportReport: { args: z.tuple([exportRequestSchema]), result: exportResultSchema.nullable() },
  getSettings: { args: z.tuple([]), result: settingsSchema },
  setTheme: { args: z.tuple([themeSchema]), result: settingsSchema },
  setLanguage: { args: z.tuple([languageSchema]), result: settingsSchema },
  openDocs: { args: z.tuple([]), result: z.void() },
} as const satisfies Record<InvokeName, { args: z.ZodTuple; result: z.ZodType }>;

/** Payload of every main -> renderer event. */
export const EVENT_SCHEMAS = {
  menu: menuCommandSchema,
  recovered: recoveredScenarioSchema,
  settings: settingsSchema,
} as const satisfies Record<EventName, z.ZodType>;

export type InvokeArgs<N extends InvokeName> = z.infer<(typeof INVOKE_SCHEMAS)[N]['args']>;
export type InvokeResult<N extends InvokeName> = z.infer<(typeof INVOKE_SCHEMAS)[N]['result']>;

// ---------------------------------------------------------------------------------------------
// Compile-time checks: the schemas above and the hand-written types in ./api.ts agree exactly.

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;

export type SchemaTypeChecks = [
  Assert<Equals<z.infer<typeof themeSchema>, Theme>>,
  Assert<Equals<z.infer<typeof languageSchema>, Language>>,
  Assert<Equals<z.infer<typeof reportKindSchema>, ReportKind>>,
  Assert<Equals<z.infer<typeof settingsSchema>, Settings>>,
  Assert<Equals<z.infer<typeof openedScenarioSchema>, OpenedScenario>>,
  Assert<Equals<z.infer<typeof recentEntrySchema>, RecentEntry>>,
  Assert<Equals<z.infer<typeof saveRequestSchema>, SaveRequest>>,
  Assert<Equals<z.infer<typeof saveAsRequestSchema>, SaveAsRequest>>,
  Assert<Equals<z.infer<typeof savedScenarioSchema>, SavedScenario>>,
  Assert<Equals<z.infer<typeof draftUpdateSchema>, DraftUpdate>>,
  Assert<Equals<z.infer<typeof recoveredScenarioSchema>, RecoveredScenario>>,
  Assert<Equals<z.infer<typeof exportRequestSchema>, ExportRequest>>,
  Assert<Equals<z.infer<typeof exportResultSchema>, ExportResult>>,
  Assert<Equals<z.infer<typeof menuCommandSchema>, MenuCommand>>,
  // Every API request method has exactly one channel, and its parameters and result match the schemas.
  Assert<Equals<keyof QueueLabInvokeApi, InvokeName>>,
  Assert<Equals<{ [N in InvokeName]: Parameters<QueueLabInvokeApi[N]> }, { [N in InvokeName]: InvokeArgs<N> }>>,
  Assert<
    Equals<{ [N in InvokeName]: Awaited<ReturnType<QueueLabInvokeApi[N]>> }, { [N in InvokeName]: InvokeResult<N> }>
  >,
];
