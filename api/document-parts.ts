/** What both OpenAPI documents (the open API's and the portal's) are made of. */
import { z } from 'zod';
import { ERRORS, type ErrorId } from '../domain/errors';

/** `/members/:bizUserId` → `/members/{bizUserId}`. */
export const documentPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

/** A request's schema as JSON Schema (what a caller sends, before defaults and transforms). */
export const inputSchema = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;

/** An answer's schema as JSON Schema (what the product sends). */
export const outputSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any', target: 'draft-2020-12' });

/** The error answers of a route by HTTP status, each id with its message and an example body. */
export function errorResponses(ids: readonly ErrorId[]): Record<string, unknown> {
  const byStatus = new Map<number, ErrorId[]>();
  for (const id of new Set(ids)) byStatus.set(ERRORS[id].status, [...(byStatus.get(ERRORS[id].status) ?? []), id]);
  return Object.fromEntries(
    [...byStatus]
      .sort(([a], [b]) => a - b)
      .map(([status, group]) => [
        status,
        {
          description: group.map((id) => `\`${id}\` ${ERRORS[id].message}`).join('；'),
          content: {
            'application/json': {
              schema: { $ref: '#/components/schemas/Error' },
              examples: Object.fromEntries(group.map((id) => [id, { value: { error: { id, message: ERRORS[id].message } } }])),
            },
          },
        },
      ]),
  );
}
