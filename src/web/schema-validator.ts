/**
 * The validator of the JSON API routes, built on TypeBox's compiler instead of Fastify's
 * default Ajv set-up because that one stops at the first error (`allErrors: false`): a staff
 * tool sending a bad title and a bad duration should hear about both at once. The schemas stay
 * plain TypeBox (JSON Schema), so @fastify/swagger still documents them.
 */
import type { TSchema } from '@sinclair/typebox';
import { FormatRegistry } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { FastifySchemaCompiler } from 'fastify';

// ISO 8601 date and time with seconds optional and an explicit offset (Z or ±hh:mm).
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

if (!FormatRegistry.Has('date-time')) {
  FormatRegistry.Set(
    'date-time',
    (value) => DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)),
  );
}

/** Compiles a route schema part into a validator reporting every field at fault. */
export const typeboxValidatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  return (data: unknown) => {
    const input = httpPart === 'body' ? data : Value.Convert(schema, data);
    const value = Value.Clean(schema, Value.Clone(input));
    if (Value.Check(schema, value)) return { value };

    const seen = new Set<string>();
    const errors = [...Value.Errors(schema, value)]
      .filter((error) => !seen.has(error.path) && seen.add(error.path))
      .map((error) => ({ instancePath: error.path, message: error.message, params: {} }));
    return { error: errors as unknown as Error };
  };
};
