import { ForbiddenError, IllegalStateError, ValidationError } from '@mandate/kernel';
import { DeciderSpecification } from '@mandate/testing';
import {
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
  statusChanged,
  taskDraft,
} from '../testing/builders';
import { taskDecider } from './task.decider';

const given = DeciderSpecification.for(taskDecider);

describe('Task', () => {
  describe('When not yet issued', () => {
    it('is issued by its plan, and assigned to the lead agency the plan names', () =>
      given([]).when(issueTask()).then([issued(), assigned(justice, [allDepartments])]));

    it('is issued unassigned when the document names no lead agency', () =>
      given([]).when(issueTask(taskDraft({ lead: null, coordinators: [] }))).then([issued(taskDraft({ lead: null, coordinators: [] }))]));

    it('refuses a task without a title', () =>
      given([]).when(issueTask(taskDraft({ title: '  ' }))).thenThrows(ValidationError, 'task-title-missing'));

    it('cannot change status before it exists', () =>
      given([]).when(changeStatus('in_progress', byOffice)).thenThrows(IllegalStateError, 'task-not-issued'));
  });

  describe('When issued and not started', () => {
    const past = [issued(), assigned()];

    it('ignores the same issue sent again (the importer ran twice)', () => given(past).when(issueTask()).thenNothingHappened());

    it('is started by an officer of the lead agency', () =>
      given(past)
        .when(changeStatus('in_progress', officerOf(justice), 'Đã giao phòng chuyên môn'))
        .then([statusChanged('not_started', 'in_progress', officerOf(justice), 'Đã giao phòng chuyên môn')]));

    it('is started by the city office', () =>
      given(past).when(changeStatus('in_progress', byOffice)).then([statusChanged('not_started', 'in_progress', byOffice)]));

    it('refuses a start by a coordinating agency', () =>
      given([issued(), assigned(justice, [finance])])
        .when(changeStatus('in_progress', officerOf(finance)))
        .thenThrows(ForbiddenError, 'status-change-forbidden'));

    it('refuses a start by a leader of another role who carries the lead agency id', () =>
      given(past).when(changeStatus('in_progress', officerOf(justice, 'leader'))).thenThrows(ForbiddenError));

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
        .when(changeStatus('pending_confirmation', officerOf(justice), 'Đã trình Quốc hội'))
        .then([statusChanged('in_progress', 'pending_confirmation', officerOf(justice), 'Đã trình Quốc hội')]));

    it('is confirmed complete by the planning department', () =>
      given([...past, statusChanged('in_progress', 'pending_confirmation', officerOf(justice))])
        .when(changeStatus('completed', byPlanning))
        .then([statusChanged('pending_confirmation', 'completed', byPlanning)]));

    it('cannot be confirmed by the agency that reported it', () =>
      given([...past, statusChanged('in_progress', 'pending_confirmation', officerOf(justice))])
        .when(changeStatus('completed', officerOf(justice)))
        .thenThrows(ForbiddenError));

    it('is suspended only by the city office', () =>
      given(past).when(changeStatus('suspended', byPlanning)).thenThrows(ForbiddenError));
  });

  describe('When completed', () => {
    const past = [
      issued(),
      assigned(),
      statusChanged('not_started', 'in_progress', byOffice),
      statusChanged('in_progress', 'pending_confirmation', byOffice),
      statusChanged('pending_confirmation', 'completed', byPlanning),
    ];

    it('cannot go back to work', () =>
      given(past).when(changeStatus('in_progress', byOffice)).thenThrows(IllegalStateError, 'transition-not-allowed'));

    it('cannot be reassigned', () =>
      given(past).when(assignTask(finance, [])).thenThrows(IllegalStateError, 'task-completed'));
  });

  describe('Reassignment', () => {
    it('moves the task to another lead agency, remembering the previous one', () =>
      given([issued(), assigned()]).when(assignTask(finance, [justice])).then([assigned(finance, [justice], 'so-tu-phap')]));

    it('changes nothing when the same agencies are assigned again', () =>
      given([issued(), assigned()]).when(assignTask(justice, [allDepartments])).thenNothingHappened());

    it('is refused to an agency officer', () =>
      given([issued(), assigned()]).when(assignTask(finance, [], officerOf(justice))).thenThrows(ForbiddenError));
  });
});
