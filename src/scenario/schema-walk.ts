import type { z } from 'zod';

/**
 * Finds the schema that governs a path in the data, so that error messages can quote the
 * field's description and suggest the field names that do exist. Zod's internals are reached
 * through `_zod.def`, the documented place for introspection in zod 4.
 */
type AnySchema = z.ZodType;
type Path = ReadonlyArray<PropertyKey>;

interface Definition {
  type: string;
  innerType?: AnySchema;
  shape?: Record<string, AnySchema>;
  element?: AnySchema;
  items?: AnySchema[];
  options?: AnySchema[];
  discriminator?: string;
  values?: unknown[];
}

function definition(schema: AnySchema): Definition {
  return (schema as unknown as { _zod: { def: Definition } })._zod.def;
}

/** Strips optional/default/nullable wrappers, collecting the first description met. */
function unwrap(schema: AnySchema): { schema: AnySchema; description: string | undefined } {
  let current = schema;
  let description = current.description;
  for (let depth = 0; depth < 10; depth++) {
    const def = definition(current);
    if (def.innerType === undefined || !['optional', 'default', 'nullable', 'prefault'].includes(def.type)) break;
    current = def.innerType;
    description ??= current.description;
  }
  return { schema: current, description };
}

function objectShape(schema: AnySchema): Record<string, AnySchema> | undefined {
  const def = definition(schema);
  return def.type === 'object' ? def.shape : undefined;
}

/** Picks the union member whose discriminator literal matches the data. */
function unionMember(schema: AnySchema, data: unknown): AnySchema | undefined {
  const def = definition(schema);
  if (def.type !== 'union' || def.options === undefined) return undefined;
  if (def.discriminator === undefined || typeof data !== 'object' || data === null) return undefined;
  const wanted = (data as Record<string, unknown>)[def.discriminator];
  return def.options.find((option) => {
    const discriminatorSchema = objectShape(option)?.[def.discriminator!];
    return discriminatorSchema !== undefined && definition(discriminatorSchema).values?.includes(wanted);
  });
}

function child(schema: AnySchema, key: PropertyKey, data: unknown): AnySchema | undefined {
  const resolved = unionMember(schema, data) ?? schema;
  const def = definition(resolved);
  if (def.type === 'object') return def.shape?.[String(key)];
  if (def.type === 'array') return def.element;
  if (def.type === 'tuple') return def.items?.[Number(key)];
  return undefined;
}

export interface SchemaAtPath {
  schema: AnySchema;
  description: string | undefined;
  /** Field names allowed at this path when it is an object (or a union of objects). */
  knownKeys: string[];
  /** Allowed values of a literal or of a union's discriminator. */
  allowedValues: unknown[];
}

export function schemaAt(root: AnySchema, path: Path, data: unknown): SchemaAtPath | undefined {
  let current: AnySchema | undefined = root;
  let value: unknown = data;
  for (const key of path) {
    if (current === undefined) return undefined;
    current = child(unwrap(current).schema, key, value);
    value = typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  }
  if (current === undefined) return undefined;
  const { schema, description } = unwrap(current);
  const member = unionMember(schema, value) ?? schema;
  const def = definition(schema);
  const discriminatorValues =
    def.type === 'union' && def.discriminator !== undefined
      ? (def.options ?? []).flatMap((option) => definition(objectShape(option)![def.discriminator!]!).values ?? [])
      : [];
  return {
    schema,
    description: description ?? member.description,
    knownKeys: Object.keys(objectShape(member) ?? {}),
    allowedValues: def.values ?? discriminatorValues,
  };
}
