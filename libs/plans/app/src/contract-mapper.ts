import type { StoredEvent } from '@mandate/event-store';
import type { Audit } from '@mandate/kernel';
import { outgoingMessageOf, type OutgoingMessage } from '@mandate/messaging';
import {
  CITIES_TOPIC,
  CITY_CREATED_V1,
  CITY_RESUMED_V1,
  CITY_MERGED_V1,
  PLAN_MOVED_V1,
  TASK_MOVED_V1,
  CITY_SETTINGS_CHANGED_V1,
  CITY_SUSPENDED_V1,
  type CityV1,
  PLAN_AMENDED_V2,
  PLAN_INDICATORS_SET_V1,
  PLAN_ISSUED_V2,
  PLAN_NUMBERED_V1,
  PLAN_IMPORT_REVIEWED_V1,
  PLANS_TOPIC,
  TASK_ASSIGNED_V2,
  TASK_DUE_SOON_V1,
  TASK_EXTENSION_APPROVED_V1,
  TASK_EXTENSION_REJECTED_V1,
  TASK_EXTENSION_REQUESTED_V1,
  TASK_ISSUED_V3,
  TASK_LINKED_V1,
  TASK_OCCURRENCE_OPENED_V1,
  TASK_OVERDUE_V1,
  TASK_PROGRESS_REPORTED_V1,
  TASK_REVISED_V1,
  TASK_STATUS_CHANGED_V2,
  TASK_WITHDRAWN_V1,
  TASKS_TOPIC,
  type ActorV1,
  type AgencyRefV1,
  type DeadlineV1,
  type IndicatorTargetV1,
  type IndicatorV1,
  type PlansContract,
  type TaskRevisionV1,
} from '@mandate/plans-contracts';
import type { AgencyRef, DeadlineSpec, IndicatorDraft, IndicatorTarget, PlanEvent, TaskEvent, TaskRevision } from '@mandate/plans-domain';
import type { CityEvent } from '@mandate/cities-domain';
import type { City } from '@mandate/runtime';
import { cityAfter } from './cities.service';
import { toDomainEvent } from './command-handler';

const agencyV1 = (ref: AgencyRef): AgencyRefV1 => ({ agencyId: ref.agencyId, name: ref.name, resolution: ref.resolution });
const deadlineV1 = (spec: DeadlineSpec): DeadlineV1 => ({ text: spec.text, kind: spec.kind, due: spec.due });
const actorV1 = (audit: Audit): ActorV1 => ({ userId: audit.actorId, role: audit.role, agencyId: audit.agencyId });

/** Field by field, so a field the domain adds to indicators later stays inside the service; absent numbers stay absent. */
const targetV1 = (t: IndicatorTarget): IndicatorTargetV1 => ({
  horizon: t.horizon,
  text: t.text,
  ...(t.value !== undefined && { value: t.value }),
  ...(t.min !== undefined && { min: t.min }),
  ...(t.max !== undefined && { max: t.max }),
});
const indicatorV1 = (i: IndicatorDraft): IndicatorV1 => ({
  ref: i.ref,
  group: i.group,
  name: i.name,
  unit: i.unit,
  targets: i.targets.map(targetV1),
  lead: i.lead ? { agencyId: i.lead.agencyId, name: i.lead.name } : null,
});

/** Field by field, so a field the domain adds to revisions later stays inside the service. */
const revisionV1 = (c: TaskRevision): TaskRevisionV1 => ({
  ...(c.ref !== undefined && { ref: c.ref }),
  ...(c.title !== undefined && { title: c.title }),
  ...(c.deadline !== undefined && { deadline: deadlineV1(c.deadline) }),
  ...(c.deliverable !== undefined && { deliverable: c.deliverable }),
  ...(c.note !== undefined && { note: c.note }),
  ...(c.supervisor !== undefined && { supervisor: c.supervisor }),
  ...(c.group !== undefined && { group: c.group }),
});

/** Field by field, so a setting the domain adds later stays inside the service until a new version carries it. */
const cityV1 = (city: City): CityV1 => ({
  cityId: city.id,
  name: city.name,
  level: city.level,
  timeZone: city.timeZone,
  dueSoonDays: city.dueSoonDays,
  reporting: city.reporting,
  // v1 knows two states; a merged city is refused like a suspended one (city.merged.v1 says the rest).
  status: city.status === 'merged' ? 'suspended' : city.status,
  identityProvider: city.identityProvider
    ? {
        issuer: city.identityProvider.issuer,
        audience: city.identityProvider.audience,
        jwksUrl: city.identityProvider.jwksUrl,
        claims: { ...city.identityProvider.claims },
      }
    : null,
});

/** An operator-log event as its contract: the whole city after it (as the registry takes it), why, when and who. */
const cityContract = (event: CityEvent): PlansContract => {
  const { city, at } = cityAfter(event);
  const common = { city: cityV1(city), reason: event.data.reason, actor: actorV1(event.metadata) };
  switch (event.type) {
    case 'CityCreated':
      return { type: CITY_CREATED_V1, data: { ...common, createdAt: at } };
    case 'CitySettingsChanged':
      return { type: CITY_SETTINGS_CHANGED_V1, data: { ...common, changed: Object.keys(event.data.changes), changedAt: at } };
    case 'CitySuspended':
      return { type: CITY_SUSPENDED_V1, data: { ...common, suspendedAt: at } };
    case 'CityResumed':
      return { type: CITY_RESUMED_V1, data: { ...common, resumedAt: at } };
    case 'CityMerged':
      return { type: CITY_MERGED_V1, data: { ...common, into: event.data.into, mergedAt: at } };
  }
};

const contractOf = (record: StoredEvent): { topic: string; contract: PlansContract } | null => {
  const event = toDomainEvent<PlanEvent | TaskEvent | CityEvent>(record);
  switch (event.type) {
    case 'PlanIssued': {
      const d = event.data;
      return {
        topic: PLANS_TOPIC,
        contract: {
          type: PLAN_ISSUED_V2,
          data: {
            planId: d.planId,
            number: d.number,
            kind: d.kind,
            title: d.title,
            issuedOn: d.issuedOn,
            issuer: d.issuer,
            taskCount: d.tasks.length,
            taskIds: d.tasks.map((t) => t.taskId),
          },
        },
      };
    }
    case 'TaskIssued': {
      const d = event.data;
      return {
        topic: TASKS_TOPIC,
        contract: {
          type: TASK_ISSUED_V3,
          data: {
            taskId: d.taskId,
            planId: d.planId,
            planNumber: d.planNumber,
            ref: d.ref,
            title: d.title,
            group: d.group,
            deliverable: d.deliverable,
            deadline: deadlineV1(d.deadline),
            supervisor: d.supervisor,
            note: d.note,
            status: 'not_started',
            issuedAt: d.issuedAt,
          },
        },
      };
    }
    case 'TaskAssigned': {
      const d = event.data;
      return {
        topic: TASKS_TOPIC,
        contract: {
          type: TASK_ASSIGNED_V2,
          data: {
            taskId: d.taskId,
            planId: d.planId,
            lead: agencyV1(d.lead),
            coordinators: d.coordinators.map(agencyV1),
            previousLeadAgencyId: d.previousLeadAgencyId,
            reason: d.reason,
            succession: d.succession && { predecessorAgencyIds: d.succession.predecessorIds, effectiveOn: d.succession.effectiveOn },
          },
        },
      };
    }
    case 'TaskStatusChanged': {
      const d = event.data;
      return {
        topic: TASKS_TOPIC,
        contract: {
          type: TASK_STATUS_CHANGED_V2,
          data: {
            taskId: d.taskId,
            planId: d.planId,
            from: d.from,
            to: d.to,
            note: d.note,
            changedAt: d.changedAt,
            actor: actorV1(event.metadata),
          },
        },
      };
    }
    case 'PlanAmended': {
      const d = event.data;
      return {
        topic: PLANS_TOPIC,
        contract: {
          type: PLAN_AMENDED_V2,
          data: {
            planId: d.planId,
            number: d.number,
            title: d.title,
            addedTaskIds: d.added.map((t) => t.taskId),
            revisedTaskIds: d.revised.map((t) => t.taskId),
            withdrawnTaskIds: d.withdrawn.map((t) => t.taskId),
            amendedAt: d.amendedAt,
          },
        },
      };
    }
    case 'PlanNumbered': {
      const d = event.data;
      return {
        topic: PLANS_TOPIC,
        contract: { type: PLAN_NUMBERED_V1, data: { planId: d.planId, number: d.number, issuedOn: d.issuedOn, numberedAt: d.numberedAt } },
      };
    }
    case 'PlanImportReviewed': {
      const d = event.data;
      return {
        topic: PLANS_TOPIC,
        contract: {
          type: PLAN_IMPORT_REVIEWED_V1,
          data: {
            planId: d.planId,
            document: d.document,
            reviewedBy: d.reviewedBy,
            changes: d.changes.map(({ path, from, to }) => ({ path, from, to })),
            reviewedAt: d.reviewedAt,
          },
        },
      };
    }
    case 'PlanIndicatorsSet': {
      const d = event.data;
      return {
        topic: PLANS_TOPIC,
        contract: {
          type: PLAN_INDICATORS_SET_V1,
          data: { planId: d.planId, indicators: d.indicators.map(indicatorV1), setAt: d.setAt },
        },
      };
    }
    case 'TaskRevised': {
      const d = event.data;
      const changes = revisionV1(d.changes);
      if (Object.keys(changes).length === 0) return null; // changed only what the contract does not carry
      return {
        topic: TASKS_TOPIC,
        contract: {
          type: TASK_REVISED_V1,
          data: { taskId: d.taskId, planId: d.planId, changes, revisedAt: d.revisedAt },
        },
      };
    }
    case 'TaskWithdrawn': {
      const d = event.data;
      return {
        topic: TASKS_TOPIC,
        contract: {
          type: TASK_WITHDRAWN_V1,
          data: { taskId: d.taskId, planId: d.planId, reason: d.reason, withdrawnAt: d.withdrawnAt },
        },
      };
    }
    case 'ProgressReported': {
      const d = event.data;
      return {
        topic: TASKS_TOPIC,
        contract: {
          type: TASK_PROGRESS_REPORTED_V1,
          data: {
            taskId: d.taskId,
            planId: d.planId,
            percent: d.percent,
            text: d.text,
            attachments: d.attachments.map((a) => ({ name: a.name, contentType: a.contentType, size: a.size, url: a.url })),
            reportedAt: d.reportedAt,
            actor: actorV1(event.metadata),
          },
        },
      };
    }
    case 'ExtensionRequested': {
      const d = event.data;
      return {
        topic: TASKS_TOPIC,
        contract: {
          type: TASK_EXTENSION_REQUESTED_V1,
          data: {
            taskId: d.taskId,
            planId: d.planId,
            requestId: d.requestId,
            until: d.until,
            reason: d.reason,
            requestedAt: d.requestedAt,
            actor: actorV1(event.metadata),
          },
        },
      };
    }
    case 'ExtensionApproved': {
      const d = event.data;
      return {
        topic: TASKS_TOPIC,
        contract: {
          type: TASK_EXTENSION_APPROVED_V1,
          data: {
            taskId: d.taskId,
            planId: d.planId,
            requestId: d.requestId,
            previousDue: d.previousDeadline.due,
            deadline: deadlineV1(d.deadline),
            note: d.note,
            approvedAt: d.approvedAt,
            actor: actorV1(event.metadata),
          },
        },
      };
    }
    case 'ExtensionRejected': {
      const d = event.data;
      return {
        topic: TASKS_TOPIC,
        contract: {
          type: TASK_EXTENSION_REJECTED_V1,
          data: {
            taskId: d.taskId,
            planId: d.planId,
            requestId: d.requestId,
            reason: d.reason,
            rejectedAt: d.rejectedAt,
            actor: actorV1(event.metadata),
          },
        },
      };
    }
    case 'TaskBecameDueSoon': {
      const d = event.data;
      return { topic: TASKS_TOPIC, contract: { type: TASK_DUE_SOON_V1, data: { taskId: d.taskId, planId: d.planId, due: d.due, at: d.at } } };
    }
    case 'TaskBecameOverdue': {
      const d = event.data;
      return { topic: TASKS_TOPIC, contract: { type: TASK_OVERDUE_V1, data: { taskId: d.taskId, planId: d.planId, due: d.due, at: d.at } } };
    }
    case 'TaskOccurrenceOpened': {
      const d = event.data;
      return {
        topic: TASKS_TOPIC,
        contract: {
          type: TASK_OCCURRENCE_OPENED_V1,
          data: {
            taskId: d.taskId,
            planId: d.planId,
            occurrence: d.occurrence,
            periodStart: d.periodStart,
            due: d.due,
            kind: d.kind,
            openedAt: d.openedAt,
          },
        },
      };
    }
    case 'TaskLinkedToParent': {
      const d = event.data;
      return {
        topic: TASKS_TOPIC,
        contract: { type: TASK_LINKED_V1, data: { taskId: d.taskId, planId: d.planId, parentTaskId: d.parentTaskId, linkedAt: d.linkedAt } },
      };
    }
    case 'CityCreated':
    case 'CitySettingsChanged':
    case 'CitySuspended':
    case 'CityResumed':
    case 'CityMerged':
      return { topic: CITIES_TOPIC, contract: cityContract(event) };
    case 'PlanMovedToCity': {
      const d = event.data;
      const taskIds = d.plan.tasks.map((t) => t.taskId);
      return {
        topic: PLANS_TOPIC,
        contract: { type: PLAN_MOVED_V1, data: { planId: d.planId, fromCityId: d.fromCityId, taskIds, reason: d.reason, movedAt: d.movedAt } },
      };
    }
    case 'TaskMovedToCity': {
      const d = event.data;
      return {
        topic: TASKS_TOPIC,
        contract: { type: TASK_MOVED_V1, data: { taskId: d.taskId, planId: d.planId, fromCityId: d.fromCityId, reason: d.reason, movedAt: d.movedAt } },
      };
    }
    default:
      return null;
  }
};

/** Domain event -> published contract; internal shapes never leave the service. */
export const toOutgoingMessage = (record: StoredEvent): OutgoingMessage | null => {
  const mapped = contractOf(record);
  return mapped ? outgoingMessageOf(record, 'plans', mapped.topic, mapped.contract) : null;
};
