import type { AppContext } from '../../context.js';
import type { Key } from '../../i18n/en.js';
import type { Me } from '../../session.js';
import { GroupsPanel } from './groups-panel.js';
import type { Panel } from './panel.js';
import { AccessLogPanel } from './access-log-panel.js';
import { AuditPanel } from './audit-panel.js';
import { PartnershipsPanel } from './partnerships-panel.js';
import { ReportsPanel } from './reports-panel.js';
import { DisclosuresPanel } from './disclosures-panel.js';

export type ConsoleSection = {
  /** the route's `section` (stays the same across releases: it is saved for reloads) */
  id: string;
  /** the section's name, as the catalogue has it (shown through t()) */
  label: Key;
  /** whether this person sees the section at all (the server still decides each request) */
  allowed: (me: Me) => boolean;
  open: (ctx: AppContext) => Panel;
};

export const isStaff = (me: Me) => me.role !== 'participant';
export const isAdmin = (me: Me) => me.role === 'admin';

/** The console's sections, in the order shown. */
export const SECTIONS: ConsoleSection[] = [
  { id: 'groups', label: 'Groups', allowed: isStaff, open: (ctx) => new GroupsPanel(ctx) },
  { id: 'partners', label: 'Partners', allowed: isStaff, open: (ctx) => new PartnershipsPanel(ctx) },
  { id: 'audit', label: 'Audit log', allowed: isStaff, open: (ctx) => new AuditPanel(ctx) },
  { id: 'reports', label: 'Reports', allowed: isStaff, open: (ctx) => new ReportsPanel(ctx) },
  { id: 'access-log', label: 'Access log', allowed: isAdmin, open: (ctx) => new AccessLogPanel(ctx) },
  { id: 'disclosures', label: 'Disclosures', allowed: isAdmin, open: (ctx) => new DisclosuresPanel(ctx) },
];
