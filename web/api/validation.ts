import type { Hook } from '@hono/zod-openapi';
import { invalid, zodProblems } from './problems.js';

/** Every request that fails its schema gets one 422 listing each bad field. */
export const validationHook: Hook<unknown, any, any, unknown> = (result, c) => {
  if (!result.success) return invalid(c, zodProblems(result.error as never));
};
