import type { ProgramAlert, QueuedReport } from '../../../shared/index.js';
import type { AlertQueue, ReportQueue } from '../ports.js';
import { Queue } from './queue.js';
import { getOrCreate } from './util.js';

/** Each group's report queue in this process. */
export class MemoryReportQueue implements ReportQueue {
  private readonly queued = new Map<string, Queue<QueuedReport>>();

  async fileReport(report: QueuedReport, dedupeKey: string): Promise<{ report: QueuedReport; duplicate: boolean }> {
    const { item, duplicate } = getOrCreate(this.queued, report.groupId, () => new Queue()).file(report, dedupeKey);
    return { report: item, duplicate };
  }

  async reports(groupId: string, status: 'open' | 'all'): Promise<QueuedReport[]> {
    return this.queued.get(groupId)?.list(status) ?? [];
  }

  async acknowledgeReport(groupId: string, reportId: string, by: string, at: number): Promise<QueuedReport | null> {
    return this.queued.get(groupId)?.acknowledge(reportId, by, at) ?? null;
  }

  async resolveReport(groupId: string, reportId: string, by: string, at: number, note?: string): Promise<QueuedReport | null> {
    return this.queued.get(groupId)?.resolve(reportId, by, at, note) ?? null;
  }

  async forgetReportNotes(groupId: string, reporterId: string): Promise<void> {
    this.queued.get(groupId)?.edit((r) => {
      if (r.reporterId === reporterId) delete r.note;
    });
  }
}

/** The program's alert queue in this process. */
export class MemoryAlertQueue implements AlertQueue {
  private readonly programQueue = new Queue<ProgramAlert>();

  async fileProgramAlert(alert: ProgramAlert, dedupeKey: string): Promise<{ alert: ProgramAlert; duplicate: boolean }> {
    const { item, duplicate } = this.programQueue.file(alert, dedupeKey);
    return { alert: item, duplicate };
  }

  async programAlerts(status: 'open' | 'all'): Promise<ProgramAlert[]> {
    return this.programQueue.list(status);
  }

  async acknowledgeProgramAlert(alertId: string, by: string, at: number): Promise<ProgramAlert | null> {
    return this.programQueue.acknowledge(alertId, by, at);
  }

  async resolveProgramAlert(alertId: string, by: string, at: number, note?: string): Promise<ProgramAlert | null> {
    return this.programQueue.resolve(alertId, by, at, note);
  }
}
