import { randomBytes } from 'node:crypto';
import type { GlobalRole } from '../shared/index.js';
import { signToken } from './auth/tokens.js';
import type { Config } from './config.js';
import type { Stores } from './store/ports.js';

export const DEMO_GROUP_ID = 'demo';
/** Shortened to JWT_MAX_LIFETIME_SEC when that is lower, or the node would refuse its own tokens. */
const DEMO_TOKEN_TTL_SEC = 12 * 3600;

/** Demo mode (§9): a group everyone is enrolled in, and tokens signed by this node's own secret. */
export class DemoService {
  constructor(
    private readonly store: Pick<Stores, 'groups'>,
    private readonly jwt: Config['jwt'],
  ) {}

  async ensureGroup(): Promise<void> {
    if (await this.store.groups.getGroup(DEMO_GROUP_ID)) return;
    await this.store.groups.createGroup(
      {
        id: DEMO_GROUP_ID,
        name: 'Demo evening group',
        description: 'Everyone who signs in to the demo is here.',
        createdAt: Date.now(),
        createdBy: 'demo-host',
      },
      { userId: 'demo-host', role: 'facilitator', name: 'Demo host' },
    );
  }

  async signIn(name: string, role: GlobalRole) {
    const user = { id: `demo-${randomBytes(6).toString('hex')}`, name, role };
    await this.store.groups.enrol(DEMO_GROUP_ID, { userId: user.id, name, role: role === 'participant' ? 'participant' : 'facilitator' });
    const ttlSec = Math.min(DEMO_TOKEN_TTL_SEC, this.jwt.maxLifetimeSec);
    return { token: signToken(this.jwt, user, ttlSec), user, demoGroupId: DEMO_GROUP_ID };
  }
}
