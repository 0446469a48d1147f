import { randomUUID } from 'node:crypto';
import type { CloudEvent } from '@mandate/messaging';
import {
  TASK_ASSIGNED_V1,
  TASK_DUE_SOON_V1,
  TASK_LINKED_V1,
  TASK_OCCURRENCE_OPENED_V1,
  TASK_OVERDUE_V1,
  TASK_STATUS_CHANGED_V1,
  TASK_STATUS_CHANGED_V2,
  TASK_STATUS_CODES,
  TASK_STATUS_CODES_V2,
  TASK_WITHDRAWN_V1,
  validateCloudEvent,
} from '@mandate/plans-contracts';
import { noticesFor, SUBJECTS, TASK_LEAD } from './notification-log';

const TASK = randomUUID();
const PLAN = randomUUID();

const cloudEvent = (type: string, data: unknown): CloudEvent => ({
  specversion: '1.0',
  id: randomUUID(),
  type,
  source: '/mandate/ha-noi/plans',
  subject: `task-${TASK}`,
  time: '2021-09-01T00:00:00.000Z',
  datacontenttype: 'application/json',
  cityid: 'ha-noi',
  correlationid: 'c',
  sequence: '5',
  data,
});
const statusChanged = (from: string, to: string, type = TASK_STATUS_CHANGED_V2) =>
  cloudEvent(type, {
    taskId: TASK, planId: PLAN, from, to, note: 'Lý do.', changedAt: '2021-09-01T00:00:00.000Z', actor: { userId: 'u', role: 'office', agencyId: 'van-phong-ubnd' },
  });

describe('noticesFor', () => {
  it('tells the lead and the resolved coordinators of an assignment', () => {
    const resolved = (agencyId: string) => ({ agencyId, name: agencyId, resolution: 'resolved' });
    const event = cloudEvent(TASK_ASSIGNED_V1, {
      taskId: TASK, planId: PLAN, lead: resolved('so-tu-phap'), coordinators: [resolved('so-tai-chinh'), { agencyId: null, name: 'các Sở', resolution: 'group' }], previousLeadAgencyId: null,
    });
    expect(noticesFor(event)).toEqual([
      { recipient: 'so-tu-phap', subject: 'Được giao chủ trì nhiệm vụ' },
      { recipient: 'so-tai-chinh', subject: 'Được giao phối hợp thực hiện nhiệm vụ' },
    ]);
  });

  it.each([
    ['submitted', 'the confirming agency', 'so-ke-hoach-dau-tu', 'Nhiệm vụ chờ xác nhận hoàn thành'],
    ['returned', 'the lead agency', TASK_LEAD, 'Nhiệm vụ bị trả lại, đề nghị thực hiện lại'],
    ['declined', 'the city office', 'van-phong-ubnd', 'Cơ quan chủ trì từ chối thực hiện nhiệm vụ'],
  ] as const)('tells of a task %s: %s', (to, _, recipient, subject) => {
    const event = statusChanged(to === 'returned' ? 'submitted' : 'in_progress', to);
    expect(validateCloudEvent(event)).toEqual({ valid: true, errors: [] });
    expect(noticesFor(event)).toEqual([{ recipient, subject }]);
  });

  it('tells nobody of the other v2 statuses', () => {
    const told = TASK_STATUS_CODES_V2.filter((to) => noticesFor(statusChanged('not_started', to)).length > 0);
    expect(told).toEqual(['submitted', 'returned', 'declined']);
  });

  it('reads a v1 pending_confirmation as submitted, and tells of no other v1 status', () => {
    const event = statusChanged('in_progress', 'pending_confirmation', TASK_STATUS_CHANGED_V1);
    expect(validateCloudEvent(event)).toEqual({ valid: true, errors: [] });
    expect(noticesFor(event)).toEqual([{ recipient: 'so-ke-hoach-dau-tu', subject: SUBJECTS.submitted }]);
    const told = TASK_STATUS_CODES.filter((to) => noticesFor(statusChanged('not_started', to, TASK_STATUS_CHANGED_V1)).length > 0);
    expect(told).toEqual(['pending_confirmation']);
  });

  it.each([
    [TASK_DUE_SOON_V1, 'Nhiệm vụ sắp đến hạn', '2021-09-28T01:00:00.000Z'],
    [TASK_OVERDUE_V1, 'Nhiệm vụ đã quá hạn', '2021-09-30T17:00:00.000Z'],
  ] as const)('tells the lead agency of %s', (type, subject, at) => {
    const event = cloudEvent(type, { taskId: TASK, planId: PLAN, due: '2021-09-30', at });
    expect(validateCloudEvent(event)).toEqual({ valid: true, errors: [] });
    expect(noticesFor(event)).toEqual([{ recipient: TASK_LEAD, subject }]);
  });

  it('tells nobody of an opened occurrence or a link', () => {
    const opened = { taskId: TASK, planId: PLAN, occurrence: 1, periodStart: '2021-07-01', due: '2021-09-30', kind: 'report', openedAt: '2021-09-01T00:00:00.000Z' };
    const linked = { taskId: TASK, planId: PLAN, parentTaskId: randomUUID(), linkedAt: '2021-09-01T00:00:00.000Z' };
    for (const event of [cloudEvent(TASK_OCCURRENCE_OPENED_V1, opened), cloudEvent(TASK_LINKED_V1, linked)]) {
      expect(validateCloudEvent(event)).toEqual({ valid: true, errors: [] });
      expect(noticesFor(event)).toEqual([]);
    }
  });

  it('tells nobody of the types it does not notify about', () => {
    expect(noticesFor(cloudEvent(TASK_WITHDRAWN_V1, { taskId: TASK, planId: PLAN, reason: 'x', withdrawnAt: '2021-10-01T00:00:00.000Z' }))).toEqual([]);
    expect(noticesFor(cloudEvent('vn.mandate.task.status-changed.v3', { to: 'submitted' }))).toEqual([]);
  });
});
