import { z } from 'zod';
import { documentSchema } from './schema.js';

/**
 * JSON Schema (draft 2020-12) of the file format, input side: the text people type, not the normalised
 * output. docs/program.schema.json holds it; a test keeps that file in step.
 */
export function programJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(documentSchema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return {
    $schema: schema['$schema'],
    $id: 'https://trellis.dev/schemas/program.schema.json',
    title: 'Trellis program or agreement (apiVersion trellis/v1)',
    ...schema,
  };
}

/** The schema as committed: two-space JSON with a final newline. */
export function programJsonSchemaText(): string {
  return `${JSON.stringify(programJsonSchema(), null, 2)}\n`;
}
