import { z } from 'zod';

/** The token expired during the connection (§1); the socket is disconnected right after. */
export const sessionExpiredEvent = z.object({ reason: z.literal('token expired') });
