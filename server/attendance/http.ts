import { Router } from 'express';
import { httpRoutes, REDISCLOSURE_NOTICE, withNotice } from '../../shared/index.js';
import { caller } from '../auth/http.js';
import { badRequest } from '../errors.js';
import { body, idParam } from '../validate.js';
import { attendanceCsv } from './records.js';
import type { AttendanceService } from './service.js';

/** §8.3 attendance, for the group's facilitators and admins. Rules live in AttendanceService. */
export function attendanceRouter(attendance: AttendanceService): Router {
  const r = Router();
  r.get('/groups/:groupId/attendance', async (req, res) => {
    res.json({ ok: true, data: await attendance.sessions(caller(req), idParam(req, 'groupId')) });
  });
  r.put('/groups/:groupId/attendance/settings', body(httpRoutes['PUT /api/groups/:groupId/attendance/settings'].body), async (req, res) => {
    res.json({ ok: true, data: await attendance.setSettings(caller(req), idParam(req, 'groupId'), req.body) });
  });
  r.get('/groups/:groupId/sessions/:sessionId/attendance', async (req, res) => {
    const q = httpRoutes['GET /api/groups/:groupId/sessions/:sessionId/attendance'].query.safeParse(req.query);
    if (!q.success) throw badRequest(q.error);
    const data = await attendance.attendance(caller(req), idParam(req, 'groupId'), idParam(req, 'sessionId'));
    const csv = q.data.format ? q.data.format === 'csv' : req.accepts(['application/json', 'text/csv']) === 'text/csv';
    if (!csv) {
      res.json({ ok: true, data: { notice: REDISCLOSURE_NOTICE, ...data } });
      return;
    }
    res
      .type('text/csv; charset=utf-8')
      .attachment(`attendance-${data.session.id}.csv`)
      .send(withNotice(attendanceCsv(data.session, data.records)));
  });
  r.put(
    '/groups/:groupId/sessions/:sessionId/attendance/:userId',
    body(httpRoutes['PUT /api/groups/:groupId/sessions/:sessionId/attendance/:userId'].body),
    async (req, res) => {
      const record = await attendance.correct(
        caller(req),
        idParam(req, 'groupId'),
        idParam(req, 'sessionId'),
        idParam(req, 'userId', 'user'),
        req.body,
      );
      res.json({ ok: true, data: { record } });
    },
  );
  return r;
}
