import { ForbiddenError, IllegalStateError, NotFoundError, ValidationError } from '@mandate/kernel';
import { DeciderSpecification } from '@mandate/testing';
import { assigned, byOffice, byPlanning, deadline, finance, issued, justice, NOW, officerOf, PLAN_ID, statusChanged, TASK_ID } from '../testing/builders';
import type { TaskEvent } from './task.events';
import { taskDecider } from './task.decider';

const given = DeciderSpecification.for(taskDecider);
const audit = (m: { actorId: string; role: string; agencyId: string | null; cityId: string }) => ({
  actorId: m.actorId,
  role: m.role,
  agencyId: m.agencyId,
  cityId: m.cityId,
});
const lead = officerOf(justice);
const coordinator = officerOf(finance);
const other = officerOf({ agencyId: 'so-y-te', name: 'Sở Y tế', text: 'Sở Y tế', resolution: 'resolved' });
const assignedTask = [issued(), assigned(justice, [finance])];

const report = (percent: number, text: string, metadata = lead) => ({
  type: 'ReportProgress' as const,
  data: { taskId: TASK_ID, percent, text, attachments: [] },
  metadata,
});
const progressReported = (percent: number, text: string, metadata = lead): TaskEvent => ({
  type: 'ProgressReported',
  data: { taskId: TASK_ID, planId: PLAN_ID, percent, text, attachments: [], reportedAt: NOW.toISOString() },
  metadata: audit(metadata) as never,
});
const ask = (until: string, reason = 'Chờ ý kiến của Bộ', metadata = lead, requestId = 'r1') => ({
  type: 'RequestExtension' as const,
  data: { taskId: TASK_ID, requestId, until, reason },
  metadata,
});
const asked = (until: string, reason = 'Chờ ý kiến của Bộ', requestId = 'r1'): TaskEvent => ({
  type: 'ExtensionRequested',
  data: { taskId: TASK_ID, planId: PLAN_ID, requestId, until, reason, requestedAt: NOW.toISOString() },
  metadata: audit(lead) as never,
});
const approve = (metadata = byPlanning, requestId = 'r1') => ({
  type: 'ApproveExtension' as const,
  data: { taskId: TASK_ID, requestId, note: 'Đồng ý' },
  metadata,
});
const reject = (reason: string, metadata = byOffice) => ({ type: 'RejectExtension' as const, data: { taskId: TASK_ID, requestId: 'r1', reason }, metadata });

describe('Progress reports', () => {
  it('are made by an officer of the lead agency', () =>
    given(assignedTask)
      .when(report(30, 'Đã dự thảo'))
      .then([progressReported(30, 'Đã dự thảo')]));

  it('are made by an officer of a coordinating agency', () =>
    given(assignedTask)
      .when(report(40, 'Đã góp ý', coordinator))
      .then([progressReported(40, 'Đã góp ý', coordinator)]));

  it('are refused to another agency', () =>
    given(assignedTask)
      .when(report(40, 'x', other))
      .thenThrows(ForbiddenError, 'progress-forbidden'));

  it('need a whole percent from 0 to 100 and a text', () => {
    given(assignedTask).when(report(101, 'x')).thenThrows(ValidationError, 'progress-percent-invalid');
    given(assignedTask).when(report(12.5, 'x')).thenThrows(ValidationError, 'progress-percent-invalid');
    given(assignedTask).when(report(50, '   ')).thenThrows(ValidationError, 'progress-text-invalid');
  });

  it('are refused on a completed task', () =>
    given([
      ...assignedTask,
      statusChanged('not_started', 'in_progress', lead),
      statusChanged('in_progress', 'submitted', lead),
      statusChanged('submitted', 'completed', byPlanning),
    ])
      .when(report(100, 'x'))
      .thenThrows(IllegalStateError, 'task-closed'));
});

describe('Extension requests', () => {
  it('are made by the lead agency, for a day after the current due date', () =>
    given(assignedTask)
      .when(ask('2021-12-31'))
      .then([asked('2021-12-31')]));

  it('are refused to a coordinating agency', () =>
    given(assignedTask)
      .when(ask('2021-12-31', 'x', coordinator))
      .thenThrows(ForbiddenError, 'extension-forbidden'));

  it('must ask for a later day than the one due', () => given(assignedTask).when(ask('2021-09-30')).thenThrows(ValidationError, 'extension-until-invalid'));

  it('wait one at a time', () =>
    given([...assignedTask, asked('2021-12-31')])
      .when(ask('2022-01-31', 'x', lead, 'r2'))
      .thenThrows(IllegalStateError, 'extension-pending'));

  it('retried with the same id and terms change nothing', () =>
    given([...assignedTask, asked('2021-12-31')])
      .when(ask('2021-12-31'))
      .thenNothingHappened());

  it('when approved, move the deadline, as an event carrying the old and the new one', () =>
    given([...assignedTask, asked('2021-12-31')])
      .when(approve())
      .then([
        {
          type: 'ExtensionApproved',
          data: {
            taskId: TASK_ID,
            planId: PLAN_ID,
            requestId: 'r1',
            previousDeadline: deadline(),
            deadline: { text: 'Gia hạn đến ngày 31/12/2021', kind: 'date', due: '2021-12-31', start: null, recurrence: null },
            note: 'Đồng ý',
            approvedAt: NOW.toISOString(),
          },
          metadata: audit(byPlanning) as never,
        },
      ]));

  it('are decided by the office or the planning department only', () =>
    given([...assignedTask, asked('2021-12-31')])
      .when(approve(lead))
      .thenThrows(ForbiddenError, 'extension-decision-forbidden'));

  it('when rejected keep the deadline and need a reason', () => {
    given([...assignedTask, asked('2021-12-31')])
      .when(reject(' '))
      .thenThrows(ValidationError, 'extension-reason-invalid');
    given([...assignedTask, asked('2021-12-31')])
      .when(reject('Không có căn cứ'))
      .then([
        {
          type: 'ExtensionRejected',
          data: { taskId: TASK_ID, planId: PLAN_ID, requestId: 'r1', reason: 'Không có căn cứ', rejectedAt: NOW.toISOString() },
          metadata: audit(byOffice) as never,
        },
      ]);
  });

  it('cannot be decided twice the other way, nor when unknown', () => {
    const approved: TaskEvent = {
      type: 'ExtensionApproved',
      data: {
        taskId: TASK_ID,
        planId: PLAN_ID,
        requestId: 'r1',
        previousDeadline: deadline(),
        deadline: deadline('x', '2021-12-31'),
        note: '',
        approvedAt: NOW.toISOString(),
      },
      metadata: audit(byPlanning) as never,
    };
    given([...assignedTask, asked('2021-12-31'), approved])
      .when(reject('x'))
      .thenThrows(IllegalStateError, 'extension-decided');
    given([...assignedTask, asked('2021-12-31'), approved])
      .when(approve())
      .thenNothingHappened();
    given(assignedTask).when(approve(byOffice, 'nope')).thenThrows(NotFoundError, 'extension-not-found');
  });
});

describe('What the published contracts could not carry is refused', () => {
  it('a day that does not exist', () => given(assignedTask).when(ask('2021-11-31')).thenThrows(ValidationError, 'extension-until-invalid'));

  it('a day in a year no plan means (the year 3000 was taken as a new deadline)', () => {
    given(assignedTask).when(ask('3000-01-01')).thenThrows(ValidationError, 'extension-until-invalid');
    given(assignedTask)
      .when(ask('2200-12-31'))
      .then([asked('2200-12-31')]);
  });

  it('an attachment without a name or with a size that is not whole bytes', () => {
    const attach = (a: { name: string; contentType: string; size: number }) => ({
      type: 'ReportProgress' as const,
      data: { taskId: TASK_ID, percent: 10, text: 'x', attachments: [{ ...a, url: null }] },
      metadata: lead,
    });
    given(assignedTask)
      .when(attach({ name: '', contentType: 'application/pdf', size: 10 }))
      .thenThrows(ValidationError, 'progress-attachments-invalid');
    given(assignedTask)
      .when(attach({ name: 'a.pdf', contentType: 'application/pdf', size: -1 }))
      .thenThrows(ValidationError, 'progress-attachments-invalid');
    given(assignedTask)
      .when(attach({ name: 'a.pdf', contentType: 'application/pdf', size: 1.5 }))
      .thenThrows(ValidationError, 'progress-attachments-invalid');
  });

  it('an extension request without an id', () =>
    given(assignedTask)
      .when(ask('2021-12-31', 'x', lead, ' '))
      .thenThrows(ValidationError, 'extension-id-invalid'));
});
