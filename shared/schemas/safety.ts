import { z } from 'zod';

export const crisisResource = z.object({ name: z.string(), contact: z.string(), description: z.string() });
export type CrisisResource = z.infer<typeof crisisResource>;

/** Sent privately to a sender whose text matched a crisis phrase (§7). */
export const safetyResourcesEvent = z.object({ resources: z.array(crisisResource) });
