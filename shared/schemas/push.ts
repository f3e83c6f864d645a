import { z } from 'zod';

const base64url = (max: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, 'must be base64url')
    .max(max);

/** A browser's push subscription (PushSubscription.toJSON()); the server checks the endpoint's host against PUSH_HOSTS. */
export const pushSubscription = z.object({
  endpoint: z.url({ protocol: /^https$/, hostname: /./, error: 'must be an https:// URL' }).max(2048),
  keys: z.object({ p256dh: base64url(200), auth: base64url(100) }),
});
export type PushSubscriptionInfo = z.infer<typeof pushSubscription>;
export const pushUnsubscribe = z.object({ endpoint: z.string().max(2048) });
export const pushKeyResult = z.object({ publicKey: z.string().nullable() });
