// The protocol, shared by the server and every client. Imports only zod.
export * from './errors.js';
export * from './text.js';
export * from './vocabulary.js';
export * from './events.js';
export * from './http.js';
export * from './schemas/common.js';
export * from './schemas/groups.js';
export * from './schemas/moderation.js';
export * from './schemas/partners.js';
export * from './schemas/session.js';
export * from './schemas/push.js';
export * from './schemas/safety.js';
export * from './schemas/checkins.js';
export * from './schemas/agreement.js';
export * from './schemas/access.js';
export * from './notice.js';
