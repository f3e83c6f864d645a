// Compile-time contract of the browser client's HTTP calls: what `call` sends and answers is
// derived from the route's schemas in shared/http.ts. `npm test` runs `tsc --noEmit`, which fails
// if a line marked as an expected error stops being one, or if any unmarked line stops compiling.
import type { Call } from '../../client/src/api.js';
import type { Erasure, Group, Member, MyData, ProgramAlertView, ReportWithMessage } from '../../shared/index.js';

declare const call: Call;

export async function rightCalls(): Promise<void> {
  const groups = await call('GET /api/groups');
  if (groups.ok) {
    const list: Group[] = groups.data.groups;
    void list;
  } else {
    const code: string = groups.error.code;
    void code;
  }
  const one = await call('GET /api/groups/:groupId', { params: { groupId: 'g1' } });
  if (one.ok) {
    const members: Member[] = one.data.members;
    void members;
  }
  await call('POST /api/groups', { body: { name: 'Tuesday evening', earlierMessages: 'shared' } });
  await call('PUT /api/groups/:groupId/members/:userId', { params: { groupId: 'g1', userId: 'u1' }, body: { role: 'participant' } });
  await call('DELETE /api/groups/:groupId/members/:userId', { params: { groupId: 'g1', userId: 'u1' } });
  await call('GET /api/groups/:groupId/audit', { params: { groupId: 'g1' }, query: { limit: 20, beforeSeq: 40 } });
  const reports = await call('GET /api/groups/:groupId/reports', { params: { groupId: 'g1' }, query: { status: 'all' } });
  if (reports.ok) {
    const rows: ReportWithMessage[] = reports.data.reports;
    void rows;
  }
  await call('POST /api/groups/:groupId/reports/:reportId/resolve', { params: { groupId: 'g1', reportId: 'r1' } });
  const alerts = await call('GET /api/alerts');
  if (alerts.ok) {
    const rows: ProgramAlertView[] = alerts.data.alerts;
    void rows;
  }
  await call('POST /api/alerts/:alertId/resolve', { params: { alertId: 'a1' } });
  await call('POST /api/partnerships', { body: { userIds: ['u1', 'u2'] } });
  const mine = await call('GET /api/me/export');
  if (mine.ok) {
    const data: MyData = mine.data;
    void data;
  }
  const erased = await call('DELETE /api/me');
  if (erased.ok) {
    const counts: Erasure = erased.data;
    void counts;
  }
  const demo = await call('GET /auth/demo');
  if (demo.ok) {
    const on: boolean = demo.data.demo;
    void on;
  }
  // the role has a default on the server: leaving it out is fine
  const signedIn = await call('POST /auth/demo', { body: { name: 'Sam' } });
  if (signedIn.ok) {
    const token: string = signedIn.data.token;
    void token;
  }
}

export async function wrongCalls(): Promise<void> {
  // @ts-expect-error a group's name is a string
  await call('POST /api/groups', { body: { name: 42 } });
  // @ts-expect-error a group is created with a body
  await call('POST /api/groups');
  // @ts-expect-error only private or shared earlier messages
  await call('POST /api/groups', { body: { name: 'g', earlierMessages: 'public' } });
  // @ts-expect-error no such global role
  await call('POST /auth/demo', { body: { name: 'Sam', role: 'owner' } });
  // @ts-expect-error enrolment needs a group role
  await call('PUT /api/groups/:groupId/members/:userId', { params: { groupId: 'g1', userId: 'u1' }, body: { name: 'Sam' } });
  // @ts-expect-error a partnership joins two people
  await call('POST /api/partnerships', { body: { userIds: ['u1'] } });
  // @ts-expect-error resolving takes no body
  await call('POST /api/alerts/:alertId/resolve', { params: { alertId: 'a1' }, body: { note: 'done' } });
  // @ts-expect-error the path's :groupId is required
  await call('GET /api/groups/:groupId', {});
  // @ts-expect-error both of the path's parameters
  await call('DELETE /api/groups/:groupId/members/:userId', { params: { groupId: 'g1' } });
  // @ts-expect-error a path parameter of another route
  await call('GET /api/groups/:groupId', { params: { alertId: 'a1' } });
  // @ts-expect-error a route without parameters takes none
  await call('GET /api/groups', { params: { groupId: 'g1' } });
  // @ts-expect-error reports are open or all
  await call('GET /api/groups/:groupId/reports', { params: { groupId: 'g1' }, query: { status: 'closed' } });
  // @ts-expect-error no such route
  await call('GET /api/groups/:groupId/messages', { params: { groupId: 'g1' } });
  // @ts-expect-error the health check answers no schema, so it is not a JSON route to call
  await call('GET /healthz');

  const groups = await call('GET /api/groups');
  // @ts-expect-error data exists only on a successful answer
  void groups.data;
  if (groups.ok) {
    // @ts-expect-error the list is of groups, not a number (and not `any`)
    const n: number = groups.data.groups;
    // @ts-expect-error a group has a name, no title
    void groups.data.groups[0]?.title;
    void n;
  }
  const one = await call('GET /api/groups/:groupId', { params: { groupId: 'g1' } });
  if (one.ok) {
    // @ts-expect-error members carry no token
    void one.data.members[0]?.token;
  }
  const alerts = await call('GET /api/alerts');
  if (alerts.ok) {
    // @ts-expect-error the writer's name may be gone: null
    const name: string = alerts.data.alerts[0]!.userName;
    void name;
  }
  const reports = await call('GET /api/groups/:groupId/reports', { params: { groupId: 'g1' } });
  if (reports.ok) {
    // @ts-expect-error the message of a partner report is null
    void reports.data.reports[0]!.message.text;
  }
  const erased = await call('DELETE /api/me');
  if (erased.ok) {
    // @ts-expect-error the erasure answers counts, not a list
    void erased.data.erasedMessages.length;
  }
}
