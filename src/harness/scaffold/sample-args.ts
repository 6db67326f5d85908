/** A JSON Schema node as tools publish it (only the keywords a sample needs). */
type Schema = Record<string, unknown>;

const isSchema = (value: unknown): value is Schema => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Nesting past this is left empty: a sample only has to be valid where the schema asks. */
const MAX_DEPTH = 4;

/**
 * Arguments for a first example call of a tool: every required property, each from the schema's
 * own default, example, enum or const where it gives one, else a plain value of its type. Optional
 * properties are left out, so the call is the smallest one the tool accepts.
 */
export function sampleArguments(inputSchema: Schema): Record<string, unknown> {
  const value = sampleValue(inputSchema, 'value', 0);
  return isSchema(value) ? value : {};
}

function sampleValue(schema: Schema, name: string, depth: number): unknown {
  if ('default' in schema) return schema.default;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  const choice = [schema.anyOf, schema.oneOf].find((list): list is unknown[] => Array.isArray(list) && list.length > 0)?.find(isSchema);
  if (choice) return sampleValue(choice, name, depth);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type ?? (isSchema(schema.properties) ? 'object' : undefined)) {
    case 'string':
      return sampleString(schema, name);
    case 'integer':
      return sampleNumber(schema, true);
    case 'number':
      return sampleNumber(schema, false);
    case 'boolean':
      return true;
    case 'array': {
      const min = typeof schema.minItems === 'number' ? schema.minItems : 0;
      const items = isSchema(schema.items) && depth < MAX_DEPTH ? schema.items : undefined;
      return items ? Array.from({ length: Math.min(Math.max(min, 1), 3) }, () => sampleValue(items, name, depth + 1)) : [];
    }
    case 'object': {
      const properties = isSchema(schema.properties) ? schema.properties : {};
      const required = Array.isArray(schema.required) ? schema.required.filter((key): key is string => typeof key === 'string') : [];
      if (depth >= MAX_DEPTH) return {};
      return Object.fromEntries(
        required.map((key) => {
          const property = properties[key];
          return [key, isSchema(property) ? sampleValue(property, key, depth + 1) : 'example'];
        }),
      );
    }
    default:
      return 'example';
  }
}

function sampleString(schema: Schema, name: string): string {
  switch (schema.format) {
    case 'date':
      return '2025-01-01';
    case 'date-time':
      return '2025-01-01T00:00:00Z';
    case 'email':
      return 'someone@example.com';
    case 'uri':
    case 'url':
      return 'https://example.com/';
    case 'uuid':
      return '00000000-0000-4000-8000-000000000000';
  }
  const text = `example ${name}`.replace(/[^a-zA-Z0-9 _-]/g, '');
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  return text.padEnd(min, 'x').slice(0, max);
}

function sampleNumber(schema: Schema, integer: boolean): number {
  const low =
    typeof schema.minimum === 'number' ? schema.minimum : typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 1 : 1;
  const high =
    typeof schema.maximum === 'number'
      ? schema.maximum
      : typeof schema.exclusiveMaximum === 'number'
        ? schema.exclusiveMaximum - 1
        : Infinity;
  const value = Math.min(Math.max(low, 1), high);
  return integer ? Math.ceil(value) : value;
}
