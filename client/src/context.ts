import type { Invite } from '../../shared/index.js';
import type { Call } from './api.js';
import type { Connection } from './connection.js';
import type { Me } from './session.js';
import type { UnreadCounts } from './unread.js';

/** One screen of the app; the shell mounts one at a time and disposes it when leaving. */
export interface View {
  readonly el: HTMLElement;
  /** the document title and the heading screen readers land on */
  readonly title: string;
  dispose(): void;
}

/** What every view gets from the shell. */
export type AppContext = {
  me: Me;
  conn: Connection;
  /** the JSON routes of §8 with this user's token */
  call: Call;
  go: (route: Route) => void;
  /** unread partner messages, shared by the nav badge, the partner list and the open conversation */
  unread: UnreadCounts;
  /** partner invitations waiting for my answer: the Partners page tells it what `partner:list` said */
  invitesListed: (invites: Invite[]) => void;
  /** On while the room of an open session is on screen: that counts as activity for the idle logoff. */
  keepSignedIn: (on: boolean) => void;
};

export type Route =
  | { to: 'groups' }
  | { to: 'group'; groupId: string }
  | { to: 'attendance'; groupId: string }
  | { to: 'partners' }
  | { to: 'partner'; partnershipId: string }
  | { to: 'your-data' }
  | { to: 'console'; section?: string };
