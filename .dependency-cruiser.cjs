// The import direction of the server, checked by `npm run depcheck` (part of `npm test`).
//
// From the top down; each layer imports only layers below it:
//   assembly      server/index.ts, server/app.ts, server/http/ (mounts every capability's router)
//   capabilities  safety -> moderation -> sessions -> groups; moderation -> attendance -> sessions, groups; safety -> groups (disclosure records check group access); checkins -> moderation -> groups; partners, privacy, presence stand alone
//   platform      server/conversation/ (seq, idempotent writes, catch-up, ids), server/limits/,
//                 server/realtime/, server/auth/, and server/*.ts (config, validate, metrics, ...)
//   store         server/store/ (imports nothing of the server but errors.ts)
// client/ and shared/ never import the server; shared/ imports no client code either.

/** Each capability folder, with the capabilities it may import; every other pair is forbidden. */
const capabilities = {
  safety: ['moderation', 'groups'],
  moderation: ['groups', 'sessions', 'attendance'],
  attendance: ['sessions', 'groups'],
  sessions: ['groups'],
  groups: [],
  checkins: ['moderation', 'groups'],
  partners: [],
  privacy: [],
  presence: [],
};
const anyCapability = `^server/(${Object.keys(capabilities).join('|')})/`;
const assembly = '^server/(index\\.ts|app\\.ts|http/)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Files that import each other in a loop: one of them holds what both need; move it down.',
      from: {},
      to: { circular: true },
    },
    ...Object.entries(capabilities).map(([name, allowed]) => {
      const others = Object.keys(capabilities).filter((c) => c !== name && !allowed.includes(c));
      return {
        name: `capability-${name}`,
        severity: 'error',
        comment: `server/${name}/ may import ${allowed.length ? allowed.map((c) => `server/${c}/`).join(', ') : 'no other capability'}; the rest would run an import back up or across.`,
        from: { path: `^server/${name}/` },
        to: { path: `^server/(${others.join('|')})/` },
      };
    }),
    {
      name: 'platform-below-capabilities',
      severity: 'error',
      comment: 'Conversation plumbing, limits, realtime, auth, the store and the root modules serve every capability and know none.',
      from: { path: '^server/', pathNot: [anyCapability, assembly] },
      to: { path: anyCapability },
    },
    {
      name: 'assembly-on-top',
      severity: 'error',
      comment: 'Only the entry point and the app assembly wire the capabilities together; nothing imports them.',
      from: { path: '^server/', pathNot: assembly },
      to: { path: assembly },
    },
    {
      name: 'store-at-the-bottom',
      severity: 'error',
      comment: 'The store imports nothing of the server but its errors and the admission decision it runs.',
      from: { path: '^server/store/' },
      to: { path: '^server/', pathNot: ['^server/store/', '^server/errors\\.ts$', '^server/admission\\.ts$'] },
    },
    {
      name: 'admission-at-the-bottom',
      severity: 'error',
      comment: 'The admission decision is pure rules: both stores run it, so it imports nothing of the server but its errors.',
      from: { path: '^server/admission\\.ts$' },
      to: { path: '^server/', pathNot: ['^server/errors\\.ts$'] },
    },
    {
      name: 'client-not-server',
      severity: 'error',
      comment: 'The browser client talks to the server over the wire; the shared contract lives in shared/.',
      from: { path: '^client/' },
      to: { path: '^server/' },
    },
    {
      name: 'shared-stands-alone',
      severity: 'error',
      comment: 'shared/ is the contract both sides import; it imports neither.',
      from: { path: '^shared/' },
      to: { path: '^(server|client)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // import type counts: a type-only import ties two folders as much as any other.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
