/** The problem document as a TypeBox schema, for the error answers of every API route. */
import { Type } from '@sinclair/typebox';

/** RFC 9457 problem document, as `src/web/problem.ts` writes it. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String({
      description: 'Stable error code, e.g. VALIDATION_FAILED, ZOOM_NOT_CONNECTED, NOT_FOUND.',
    }),
    detail: Type.Optional(Type.String()),
    errors: Type.Optional(
      Type.Array(Type.Object({ field: Type.String(), message: Type.String() })),
    ),
  },
  {
    description: 'RFC 9457 problem document (application/problem+json).',
    additionalProperties: true,
  },
);

/** A problem answer for every error status an API route can give. */
export const problemAnswers = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  409: ProblemSchema,
};
