/**
 * `GET /api/v1/instructors/{id}/zoom-profile`: staff confirm which Zoom account an instructor
 * linked, read live from Zoom's `/users/me` through the token service (so it also proves the
 * connection still works). Nothing of the answer is stored beyond what the connection holds.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app/app-context.js';
import { requireRole } from '../web/request-auth.js';
import { findConnectionByInstructor, planName } from './connection-store.js';
import { zoomApiFor } from './zoom-api-for.js';

const Params = Type.Object({ id: Type.Integer({ minimum: 1 }) });

const Profile = Type.Object({
  instructorId: Type.Integer(),
  zoom: Type.Object({
    userId: Type.String(),
    email: Type.String(),
    displayName: Type.String(),
    planType: Type.Integer(),
    planName: Type.String(),
  }),
  matchesLinkedAccount: Type.Boolean({
    description: 'True when Zoom reports the same user id as the one linked at connect time.',
  }),
});

/** Registers the live Zoom profile call. */
export function registerZoomProfileRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Params: Static<typeof Params> }>(
    '/api/v1/instructors/:id/zoom-profile',
    {
      onRequest: requireRole('staff', 'admin'),
      schema: {
        summary: "Read the instructor's linked Zoom profile live from Zoom",
        params: Params,
        response: { 200: Profile },
      },
    },
    async (request) => {
      const instructorId = request.params.id;
      const profile = await zoomApiFor(ctx, instructorId).getMe();
      const stored = await findConnectionByInstructor(ctx.db, instructorId);

      return {
        instructorId,
        zoom: {
          userId: profile.id,
          email: profile.email,
          displayName: profile.displayName,
          planType: profile.planType,
          planName: planName(profile.planType),
        },
        matchesLinkedAccount: stored?.zoomUserId === profile.id,
      };
    },
  );
}
