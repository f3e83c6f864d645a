import type { z } from 'zod';
import {
  csvField,
  withNotice,
  type Disclosure,
  type disclosureBody,
  type disclosuresQuery,
  type ProgramAlert,
  type QueuedReport,
} from '../../shared/index.js';
import type { AccessRecorder } from '../access/log.js';
import type { Identity } from '../auth/tokens.js';
import { newId } from '../conversation/ids.js';
import { AppError } from '../errors.js';
import { facilitatorAccess } from '../groups/access.js';
import type { Stores } from '../store/ports.js';

type Alert = Pick<QueuedReport | ProgramAlert, 'id' | 'userId'> & { groupId?: string };

/**
 * Emergency-disclosure records (42 CFR §2.51, issue 18): staff who disclosed information in a
 * medical emergency record it on the alert. Records are never edited (a correction is a new
 * record naming the one it corrects), kept through a person's erasure, and every read is
 * access-logged. The group's facilitators and admins see a group alert's records; a program
 * alert's are for admins.
 */
export class DisclosureService {
  constructor(
    private readonly store: Pick<Stores, 'alertQueue' | 'disclosures' | 'groups' | 'moderation' | 'reportQueue'>,
    private readonly access: AccessRecorder,
  ) {}

  async record(actor: Identity, alertId: string, body: z.output<typeof disclosureBody>): Promise<Disclosure> {
    const alert = await this.alertFor(actor, alertId, body.groupId);
    if (body.correctsId !== undefined) {
      const corrected = await this.store.disclosures.disclosure(body.correctsId);
      if (corrected?.alertId !== alertId) throw new AppError('BAD_REQUEST', 'correctsId must name a record of this alert');
    }
    const d: Disclosure = {
      id: newId(),
      alertId,
      ...(alert.groupId !== undefined ? { groupId: alert.groupId } : {}),
      userId: alert.userId,
      recipientName: body.recipientName,
      recipientAffiliation: body.recipientAffiliation,
      disclosedBy: body.disclosedBy ?? actor.name,
      at: body.at === undefined ? Date.now() : Date.parse(body.at),
      nature: body.nature,
      ...(body.correctsId !== undefined ? { correctsId: body.correctsId } : {}),
      recordedBy: actor.id,
      recordedAt: Date.now(),
    };
    await this.store.disclosures.addDisclosure(d);
    return d;
  }

  /** The alert's records, in the order recorded. */
  async ofAlert(actor: Identity, alertId: string, groupId: string | undefined): Promise<Disclosure[]> {
    const alert = await this.alertFor(actor, alertId, groupId);
    const records = await this.store.disclosures.disclosuresOf(alertId);
    await this.access.record(actor, { what: 'disclosures', about: [alert.userId], ...groupOf(alert), detail: { alertId } });
    return records;
  }

  /** Every record (admins), oldest first, filtered by person, group and the time of the disclosure. */
  async list(actor: Identity, q: Omit<z.output<typeof disclosuresQuery>, 'format'>): Promise<Disclosure[]> {
    if (actor.role !== 'admin') throw new AppError('FORBIDDEN', 'only admins list every disclosure record');
    const records = (await this.store.disclosures.allDisclosures()).filter(
      (d) =>
        (q.person === undefined || d.userId === q.person) &&
        (q.groupId === undefined || d.groupId === q.groupId) &&
        (q.from === undefined || d.at >= q.from) &&
        (q.to === undefined || d.at <= q.to),
    );
    await this.access.record(actor, { what: 'disclosures', about: records.map((d) => d.userId), ...groupOf(q) });
    return records;
  }

  /** The alert, if the caller may see its records: a group's (its facilitators, admins) or the program's (admins); else NOT_FOUND/FORBIDDEN. */
  private async alertFor(actor: Identity, alertId: string, groupId: string | undefined): Promise<Alert> {
    if (groupId === undefined) {
      if (actor.role !== 'admin') throw new AppError('FORBIDDEN', "only the program's admins see its alerts");
      const alert = (await this.store.alertQueue.programAlerts('all')).find((a) => a.id === alertId);
      if (!alert) throw new AppError('NOT_FOUND', 'no such alert');
      return alert;
    }
    await facilitatorAccess(this.store, actor, groupId);
    const alert = (await this.store.reportQueue.reports(groupId, 'all')).find((r) => r.id === alertId);
    if (!alert) throw new AppError('NOT_FOUND', 'no such alert');
    return alert;
  }
}

const groupOf = (x: { groupId?: string }) => (x.groupId !== undefined ? { groupId: x.groupId } : {});

/** Records as CSV (RFC 4180), times in ISO 8601 UTC, after the redisclosure notice. */
export function disclosuresCsv(records: Disclosure[]): string {
  const columns = [
    'id',
    'alertId',
    'groupId',
    'userId',
    'recipientName',
    'recipientAffiliation',
    'disclosedBy',
    'at',
    'nature',
    'correctsId',
    'recordedBy',
    'recordedAt',
  ] as const;
  const rows = records.map((d) =>
    columns.map((c) => (c === 'at' || c === 'recordedAt' ? new Date(d[c]).toISOString() : csvField(d[c]))).join(','),
  );
  return withNotice([columns.join(','), ...rows].map((r) => `${r}\r\n`).join(''));
}
