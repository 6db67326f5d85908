/** An MCP tool as tools/list reports it; only the fields the conversion reads. */
export interface McpToolInfo {
  readonly name: string;
  readonly description?: string | undefined;
  readonly inputSchema: Record<string, unknown>;
  /** The server says the tool changes nothing (annotations.readOnlyHint). */
  readonly readOnly?: boolean | undefined;
}

/** A tool in OpenAI chat-completions wire format (`tools: [...]`). */
export interface OpenAIFunctionTool {
  readonly type: 'function';
  readonly function: {
    readonly name: string;
    readonly description: string;
    readonly parameters: Record<string, unknown>;
  };
}

/** OpenAI's documented rule for function names. */
export const OPENAI_FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
/** Longest description we send; longer ones waste tokens on every request. */
export const MAX_DESCRIPTION = 1024;

const KNOWN_KEYWORDS = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'enum',
  'const',
  'description',
  'default',
  'title',
  'pattern',
  'format',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'anyOf',
  '$defs',
  '$ref',
]);
const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);
const TOP_LEVEL_FORBIDDEN = ['anyOf', 'oneOf', 'allOf', 'enum', 'not'];

/** Converts one MCP tool to an OpenAI function tool, under `name` when it had to be renamed. */
export function toOpenAITool(tool: McpToolInfo, name: string = tool.name): OpenAIFunctionTool {
  const { $schema: _marker, ...parameters } = tool.inputSchema;
  return {
    type: 'function',
    function: { name, description: tool.description ?? '', parameters },
  };
}

function schemaProblems(schema: unknown, path: string, problems: string[]): void {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    problems.push(`${path}: a schema must be an object`);
    return;
  }
  const node = schema as Record<string, unknown>;
  for (const key of Object.keys(node)) {
    if (!KNOWN_KEYWORDS.has(key)) problems.push(`${path}: unsupported keyword "${key}"`);
  }
  const types = node.type === undefined ? [] : Array.isArray(node.type) ? node.type : [node.type];
  for (const type of types) {
    if (typeof type !== 'string' || !TYPES.has(type)) problems.push(`${path}: unknown type ${JSON.stringify(type)}`);
  }
  if (
    node.type === undefined &&
    node.anyOf === undefined &&
    node.$ref === undefined &&
    node.enum === undefined &&
    node.const === undefined
  ) {
    problems.push(`${path}: no type`);
  }
  if (Array.isArray(node.enum) && node.enum.length === 0) problems.push(`${path}: empty enum`);
  if (types.includes('array')) {
    if (node.items === undefined) problems.push(`${path}: array without items`);
    else schemaProblems(node.items, `${path}.items`, problems);
  }
  const properties = node.properties;
  if (typeof properties === 'object' && properties !== null) {
    for (const [key, child] of Object.entries(properties)) schemaProblems(child, `${path}.${key}`, problems);
    const required = node.required ?? [];
    if (!Array.isArray(required)) problems.push(`${path}: required must be a list`);
    else
      for (const key of required) {
        if (!Object.hasOwn(properties, String(key))) problems.push(`${path}: required "${key}" is not a property`);
      }
  } else if (types.includes('object')) {
    problems.push(`${path}: object without properties`);
  }
  if (Array.isArray(node.anyOf)) node.anyOf.forEach((child, i) => schemaProblems(child, `${path}.anyOf[${i}]`, problems));
}

/**
 * Why OpenAI function calling would reject (or misread) a tool, following OpenAI's published
 * rules: a 1-64 character name of letters, digits, `_` and `-`; parameters that are a JSON
 * Schema of type object at the top level with no top-level combinator; every array with
 * `items`; only keywords from the supported subset. An empty list means the tool is fine.
 */
export function openAIToolProblems(tool: OpenAIFunctionTool): string[] {
  const problems: string[] = [];
  const { name, description, parameters } = tool.function;
  if (!OPENAI_FUNCTION_NAME.test(name)) problems.push(`name "${name}" must match ${OPENAI_FUNCTION_NAME}`);
  if (description.trim() === '') problems.push(`${name}: missing description`);
  if (description.length > MAX_DESCRIPTION) problems.push(`${name}: description longer than ${MAX_DESCRIPTION}`);
  if (parameters.type !== 'object') problems.push(`${name}: parameters must have type "object" at the top level`);
  for (const keyword of TOP_LEVEL_FORBIDDEN) {
    if (keyword in parameters) problems.push(`${name}: "${keyword}" is not allowed at the top level`);
  }
  schemaProblems(parameters, `${name}.parameters`, problems);
  return problems;
}
