import { ForbiddenError, IllegalStateError, ValidationError, type CommandMetadata } from '@mandate/kernel';
import { DeciderSpecification } from '@mandate/testing';
import type { AgencyRef } from '../agency';
import type { TaskAssigned } from './task.events';
import {
  agency,
  allDepartments,
  assigned,
  assignTask,
  byOffice,
  byPlanning,
  changeStatus,
  finance,
  issued,
  issueTask,
  justice,
  officerOf,
  deadline,
  NOW,
  PLAN_ID,
  statusChanged,
  TASK_ID,
  taskDraft,
} from '../testing/builders';
import { taskDecider } from './task.decider';

const given = DeciderSpecification.for(taskDecider);

describe('Task', () => {
  describe('When not yet issued', () => {
    it('is issued by its plan, and assigned to the lead agency the plan names', () =>
      given([])
        .when(issueTask())
        .then([issued(), assigned(justice, [allDepartments])]));

    it('is issued unassigned when the document names no lead agency', () =>
      given([])
        .when(issueTask(taskDraft({ lead: null, coordinators: [] })))
        .then([issued(taskDraft({ lead: null, coordinators: [] }))]));

    it('refuses a task without a title', () =>
      given([])
        .when(issueTask(taskDraft({ title: '  ' })))
        .thenThrows(ValidationError, 'task-title-missing'));

    it('cannot change status before it exists', () => given([]).when(changeStatus('in_progress', byOffice)).thenThrows(IllegalStateError, 'task-not-issued'));
  });

  describe('When issued and not started', () => {
    const past = [issued(), assigned()];

    it('ignores the same issue sent again (the importer ran twice)', () => given(past).when(issueTask()).thenNothingHappened());

    it('is started by an officer of the lead agency', () =>
      given(past)
        .when(changeStatus('in_progress', officerOf(justice), 'Đã giao phòng chuyên môn'))
        .then([statusChanged('not_started', 'in_progress', officerOf(justice), 'Đã giao phòng chuyên môn')]));

    it('is started by the city office', () =>
      given(past)
        .when(changeStatus('in_progress', byOffice))
        .then([statusChanged('not_started', 'in_progress', byOffice)]));

    it('refuses a start by a coordinating agency', () =>
      given([issued(), assigned(justice, [finance])])
        .when(changeStatus('in_progress', officerOf(finance)))
        .thenThrows(ForbiddenError, 'status-change-forbidden'));

    it('refuses a start by a leader of another role who carries the lead agency id', () =>
      given(past)
        .when(changeStatus('in_progress', officerOf(justice, 'leader')))
        .thenThrows(ForbiddenError));

    it('cannot be completed without being reported and confirmed', () =>
      given(past).when(changeStatus('completed', byOffice)).thenThrows(IllegalStateError, 'transition-not-allowed'));

    it('treats a repeated status as already done', () =>
      given([...past, statusChanged('not_started', 'in_progress', byOffice)])
        .when(changeStatus('in_progress', officerOf(justice)))
        .thenNothingHappened());
  });

  describe('When in progress', () => {
    const past = [issued(), assigned(), statusChanged('not_started', 'in_progress', officerOf(justice))];

    it('is reported done by the lead agency and waits for confirmation', () =>
      given(past)
        .when(changeStatus('submitted', officerOf(justice), 'Đã trình Quốc hội'))
        .then([statusChanged('in_progress', 'submitted', officerOf(justice), 'Đã trình Quốc hội')]));

    it('is confirmed complete by the planning department', () =>
      given([...past, statusChanged('in_progress', 'submitted', officerOf(justice))])
        .when(changeStatus('completed', byPlanning))
        .then([statusChanged('submitted', 'completed', byPlanning)]));

    it('cannot be confirmed by the agency that reported it', () =>
      given([...past, statusChanged('in_progress', 'submitted', officerOf(justice))])
        .when(changeStatus('completed', officerOf(justice)))
        .thenThrows(ForbiddenError));

    it('is paused only by the city office', () => given(past).when(changeStatus('paused', byPlanning)).thenThrows(ForbiddenError));
  });

  describe('When completed', () => {
    const past = [
      issued(),
      assigned(),
      statusChanged('not_started', 'in_progress', byOffice),
      statusChanged('in_progress', 'submitted', byOffice),
      statusChanged('submitted', 'completed', byPlanning),
    ];

    it('cannot go back to work', () => given(past).when(changeStatus('in_progress', byOffice)).thenThrows(IllegalStateError, 'transition-not-allowed'));

    it('cannot be reassigned', () => given(past).when(assignTask(finance, [])).thenThrows(IllegalStateError, 'task-closed'));
  });

  describe('Reassignment', () => {
    it('moves the task to another lead agency, remembering the previous one', () =>
      given([issued(), assigned()])
        .when(assignTask(finance, [justice]))
        .then([assigned(finance, [justice], 'so-tu-phap')]));

    it('changes nothing when the same agencies are assigned again', () =>
      given([issued(), assigned()])
        .when(assignTask(justice, [allDepartments]))
        .thenNothingHappened());

    it('is refused to an agency officer', () =>
      given([issued(), assigned()])
        .when(assignTask(finance, [], officerOf(justice)))
        .thenThrows(ForbiddenError));
  });

  describe('Hand-over after a merger of agencies', () => {
    const planning = agency('so-ke-hoach-dau-tu', 'Sở Kế hoạch và Đầu tư');
    const MERGER = 'Sáp nhập Sở Kế hoạch và Đầu tư vào Sở Tài chính từ 01/3/2025';
    const handOver = (predecessorIds: string[], successor = finance, metadata = byOffice) =>
      ({ type: 'HandOverTask', data: { taskId: TASK_ID, predecessorIds, successor, reason: MERGER, effectiveOn: '2025-03-01' }, metadata }) as const;
    const reassigned = (lead: AgencyRef, coordinators: AgencyRef[], previous: string): TaskAssigned => {
      const event = assigned(lead, coordinators, previous);
      return { ...event, data: { ...event.data, reason: MERGER, succession: { predecessorIds: ['so-ke-hoach-dau-tu'], effectiveOn: '2025-03-01' } } };
    };

    it('passes the lead to the successor, citing the merger, and keeps the coordinators', () =>
      given([issued(), assigned(planning, [justice])])
        .when(handOver(['so-ke-hoach-dau-tu']))
        .then([reassigned(finance, [justice], 'so-ke-hoach-dau-tu')]));

    it('passes a merged coordinator to the successor, once, and never beside it as the lead', () => {
      given([issued(), assigned(justice, [planning, finance])])
        .when(handOver(['so-ke-hoach-dau-tu']))
        .then([reassigned(justice, [finance], 'so-tu-phap')]);
      given([issued(), assigned(planning, [finance, justice])])
        .when(handOver(['so-ke-hoach-dau-tu']))
        .then([reassigned(finance, [justice], 'so-ke-hoach-dau-tu')]);
    });

    it('changes nothing for a task none of the merged agencies holds, or one already closed', () => {
      given([issued(), assigned(justice, [allDepartments])])
        .when(handOver(['so-ke-hoach-dau-tu']))
        .thenNothingHappened();
      const done = [
        issued(),
        assigned(planning, []),
        statusChanged('not_started', 'in_progress', officerOf(planning)),
        statusChanged('in_progress', 'submitted', officerOf(planning)),
        statusChanged('submitted', 'completed', byOffice),
      ];
      given(done)
        .when(handOver(['so-ke-hoach-dau-tu']))
        .thenNothingHappened();
    });

    it('is the office’s (the operator’s when a whole city merged), and says why', () => {
      given([issued(), assigned(planning, [])])
        .when(handOver(['so-ke-hoach-dau-tu'], finance, officerOf(finance)))
        .thenThrows(ForbiddenError);
      const byOperator = { ...byOffice, role: 'operator' as const };
      const [event] = taskDecider.decide(
        handOver(['so-ke-hoach-dau-tu'], finance, byOperator),
        [issued(), assigned(planning, [])].reduce(taskDecider.evolve, taskDecider.initialState()),
      );
      expect(event).toMatchObject({ type: 'TaskAssigned', data: { lead: finance, previousLeadAgencyId: 'so-ke-hoach-dau-tu' } });
      given([issued(), assigned(planning, [])])
        .when({ type: 'HandOverTask', data: { taskId: TASK_ID, predecessorIds: ['so-ke-hoach-dau-tu'], successor: finance, reason: ' ' }, metadata: byOffice })
        .thenThrows(ValidationError, 'reason-required');
    });

    it('records the merger it carries out (the predecessors, the day), so counts can show the old split', () => {
      given([issued(), assigned(planning, [])])
        .when({
          type: 'HandOverTask',
          data: { taskId: TASK_ID, predecessorIds: ['so-ke-hoach-dau-tu'], successor: finance, reason: MERGER },
          metadata: byOffice,
        })
        .then([
          {
            ...reassigned(finance, [], 'so-ke-hoach-dau-tu'),
            data: { ...reassigned(finance, [], 'so-ke-hoach-dau-tu').data, succession: { predecessorIds: ['so-ke-hoach-dau-tu'], effectiveOn: null } },
          },
        ]);
      given([issued(), assigned(planning, [])])
        .when({
          type: 'HandOverTask',
          data: { taskId: TASK_ID, predecessorIds: ['so-ke-hoach-dau-tu'], successor: finance, reason: MERGER, effectiveOn: '2025-02-31' },
          metadata: byOffice,
        })
        .thenThrows(ValidationError, 'invalid-effective-day');
    });
  });
});

describe('Moving with its city, merged into another (Hà Tây into Hà Nội)', () => {
  const inHaNoi: CommandMetadata = { ...byOffice, role: 'operator', actorId: 'op-1' };
  const move = (metadata = inHaNoi, fromCityId = 'ha-tay') => ({
    type: 'MoveTaskToCity' as const,
    data: { taskId: TASK_ID, fromCityId, reason: 'Hợp nhất tỉnh Hà Tây vào Hà Nội' },
    metadata,
  });
  const lead = officerOf(justice);
  const history = [issued(), assigned(), statusChanged('not_started', 'in_progress', lead)];

  it('carries the whole task as it stands, so the successor folds it from there; acting on it then goes on as before', () => {
    const state = history.reduce(taskDecider.evolve, taskDecider.initialState());
    const [moved] = taskDecider.decide(move(), state);
    expect(moved).toMatchObject({ type: 'TaskMovedToCity', data: { taskId: TASK_ID, planId: PLAN_ID, fromCityId: 'ha-tay', toCityId: 'ha-noi', task: state } });
    // Folded from the move alone, the task is the one that was moved.
    expect(taskDecider.evolve(taskDecider.initialState(), moved)).toEqual(state);
    given([moved])
      .when(changeStatus('submitted', lead, 'Đã trình'))
      .then([statusChanged('in_progress', 'submitted', lead, 'Đã trình')]);
  });

  it("is the platform operator's, to another city, of a task that exists", () => {
    given(history).when(move(byOffice)).thenThrows(ForbiddenError, 'operator-only');
    given(history).when(move(inHaNoi, 'ha-noi')).thenThrows(ValidationError, 'same-city');
    given([]).when(move()).thenThrows(IllegalStateError, 'task-not-issued');
  });
});

describe('The lifecycle beyond the simple moves', () => {
  const lead = officerOf(justice);
  const started = [issued(), assigned(), statusChanged('not_started', 'in_progress', lead)];
  const submitted = [...started, statusChanged('in_progress', 'submitted', lead, 'Đã trình')];

  it('returns a submitted task with a reason, and the lead works on it again', () => {
    given(submitted).when(changeStatus('returned', byPlanning)).thenThrows(ValidationError, 'reason-required');
    given(submitted)
      .when(changeStatus('returned', byPlanning, 'Thiếu số liệu'))
      .then([statusChanged('submitted', 'returned', byPlanning, 'Thiếu số liệu')]);
    const returned = [...submitted, statusChanged('submitted', 'returned', byPlanning, 'Thiếu số liệu')];
    given(returned)
      .when(changeStatus('in_progress', lead))
      .then([statusChanged('returned', 'in_progress', lead)]);
    given(returned)
      .when(changeStatus('submitted', lead, 'Đã bổ sung'))
      .then([statusChanged('returned', 'submitted', lead, 'Đã bổ sung')]);
  });

  it('lets the lead agency decline a task with a reason, and the office insist or give it to another agency', () => {
    given([issued(), assigned()]).when(changeStatus('declined', lead)).thenThrows(ValidationError, 'reason-required');
    given([issued(), assigned()])
      .when(changeStatus('declined', byOffice, 'x'))
      .thenThrows(ForbiddenError, 'status-change-forbidden');
    const declined = [issued(), assigned(), statusChanged('not_started', 'declined', lead, 'Không thuộc chức năng')];
    given(declined)
      .when(changeStatus('not_started', byOffice, 'Đề nghị thực hiện'))
      .then([statusChanged('declined', 'not_started', byOffice, 'Đề nghị thực hiện')]);
    given(declined)
      .when(assignTask(finance, []))
      .then([assigned(finance, [], 'so-tu-phap'), statusChanged('declined', 'not_started', byOffice, 'Giao lại cho Sở Tài chính')]);
  });

  it('pauses a task with a reason and resumes it where it was', () => {
    const paused = [...submitted, statusChanged('submitted', 'paused', byOffice, 'Chờ chủ trương')];
    given(submitted).when(changeStatus('paused', byOffice)).thenThrows(ValidationError, 'reason-required');
    given(paused)
      .when(changeStatus('submitted', byOffice))
      .then([statusChanged('paused', 'submitted', byOffice)]);
    given(paused).when(changeStatus('in_progress', byOffice)).thenThrows(IllegalStateError, 'transition-not-allowed');
    given(paused).when(changeStatus('submitted', lead)).thenThrows(ForbiddenError, 'status-change-forbidden');
  });

  it('cancels a task for good', () => {
    const cancelled = [...started, statusChanged('in_progress', 'cancelled', byOffice, 'Không còn phù hợp')];
    given(started)
      .when(changeStatus('cancelled', byOffice, 'Không còn phù hợp'))
      .then([statusChanged('in_progress', 'cancelled', byOffice, 'Không còn phù hợp')]);
    given(cancelled).when(changeStatus('in_progress', byOffice)).thenThrows(IllegalStateError, 'transition-not-allowed');
    given(cancelled).when(assignTask(finance, [])).thenThrows(IllegalStateError, 'task-closed');
  });
});

describe("The owner's edit of a task (đã điều chỉnh)", () => {
  const edit = (changes: { title?: string; deadline?: ReturnType<typeof deadline> }, reason: string, metadata = byOffice) => ({
    type: 'EditTask' as const,
    data: { taskId: TASK_ID, ...changes, reason },
    metadata,
  });

  it('records the new deadline with its reason', () =>
    given([issued(), assigned()])
      .when(edit({ deadline: deadline('Quý I/2022', '2022-03-31') }, 'Theo chỉ đạo của Chủ tịch'))
      .then([
        {
          type: 'TaskRevised',
          data: {
            taskId: TASK_ID,
            planId: PLAN_ID,
            changes: { deadline: deadline('Quý I/2022', '2022-03-31') },
            revisedAt: NOW.toISOString(),
            reason: 'Theo chỉ đạo của Chủ tịch',
          },
          metadata: { actorId: byOffice.actorId, role: byOffice.role, agencyId: byOffice.agencyId, cityId: byOffice.cityId },
        },
      ]));

  it('marks the task as adjusted (đã điều chỉnh): when, why and what', () => {
    const revised = {
      type: 'TaskRevised' as const,
      data: {
        taskId: TASK_ID,
        planId: PLAN_ID,
        changes: { deadline: deadline('Quý I/2022', '2022-03-31'), title: 'Tên mới' },
        revisedAt: NOW.toISOString(),
        reason: 'Theo chỉ đạo',
      },
      metadata: { actorId: byOffice.actorId, role: byOffice.role, agencyId: byOffice.agencyId, cityId: byOffice.cityId },
    };
    const state = [issued(), assigned(), revised].reduce(taskDecider.evolve, taskDecider.initialState());
    expect(state).toMatchObject({ title: 'Tên mới', adjusted: { at: NOW.toISOString(), reason: 'Theo chỉ đạo', fields: ['deadline', 'title'] } });
    const untouched = [issued(), assigned()].reduce(taskDecider.evolve, taskDecider.initialState());
    expect(untouched).toMatchObject({ adjusted: null });
  });

  it('needs a reason, the office, and an open task; the same values change nothing', () => {
    given([issued(), assigned()])
      .when(edit({ title: 'Tên mới' }, ' '))
      .thenThrows(ValidationError, 'reason-required');
    given([issued(), assigned()])
      .when(edit({ title: 'Tên mới' }, 'x', byPlanning))
      .thenThrows(ForbiddenError, 'edit-forbidden');
    given([issued(), assigned()])
      .when(edit({ deadline: deadline() }, 'x'))
      .thenNothingHappened();
  });
});

describe('Cascade: a task carries out a task of a higher plan', () => {
  const PARENT = 'b9f0c7e4-0000-4000-8000-0000000000aa';
  const link = (parentTaskId: string, metadata = byOffice) => ({ type: 'LinkTask' as const, data: { taskId: TASK_ID, parentTaskId }, metadata });
  const linked = {
    type: 'TaskLinkedToParent' as const,
    data: { taskId: TASK_ID, planId: PLAN_ID, parentTaskId: PARENT, linkedAt: NOW.toISOString() },
    metadata: { actorId: byOffice.actorId, role: byOffice.role, agencyId: byOffice.agencyId, cityId: byOffice.cityId },
  };

  it('is linked by the city office', () => given([issued(), assigned()]).when(link(PARENT)).then([linked]));
  it('is linked once', () => given([issued(), assigned(), linked]).when(link(PARENT)).thenNothingHappened());
  it('is not linked by an agency, nor to itself', () => {
    given([issued(), assigned()])
      .when(link(PARENT, officerOf(justice)))
      .thenThrows(ForbiddenError, 'link-forbidden');
    given([issued(), assigned()]).when(link(TASK_ID)).thenThrows(ValidationError, 'link-self');
  });
});
