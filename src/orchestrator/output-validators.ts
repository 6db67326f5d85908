import type { JsonSchemaType, JsonSchemaValidator, jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';

/**
 * The SDK's Ajv provider behind a cache of compiled validators by schema text, one per process (or
 * worker thread), made at the first compile. Each pool lists the same tools again — every faulted
 * run starts a fresh one — and the SDK's provider would compile each schema object anew.
 */
class CompiledOnce implements jsonSchemaValidator {
  #ajv: AjvJsonSchemaValidator | undefined;
  readonly #compiled = new Map<string, JsonSchemaValidator<unknown>>();

  getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
    const key = JSON.stringify(schema);
    let validator = this.#compiled.get(key);
    if (!validator) {
      this.#ajv ??= new AjvJsonSchemaValidator();
      validator = this.#ajv.getValidator<unknown>(schema);
      this.#compiled.set(key, validator);
    }
    return validator as JsonSchemaValidator<T>;
  }
}

const sharedCompiler = new CompiledOnce();

/**
 * The MCP client's validators of tool output schemas, compiled when a tool's result is first
 * checked instead of when the tools are listed. The SDK compiles one for every tool that declares an
 * `outputSchema` as soon as `tools/list` answers: for the five built-in servers that is about 130 ms
 * of a cold start's CPU, spent again by every pool (the CLI's, each faulted run's), while a scenario
 * calls two or three of the twenty tools. Validation itself is the SDK's own Ajv provider, unchanged.
 */
export class LazyOutputValidators implements jsonSchemaValidator {
  readonly #compiler: jsonSchemaValidator;

  constructor(compiler: jsonSchemaValidator = sharedCompiler) {
    this.#compiler = compiler;
  }

  getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
    let compiled: JsonSchemaValidator<T> | undefined;
    return (input) => {
      compiled ??= this.#compiler.getValidator<T>(schema);
      return compiled(input);
    };
  }
}
