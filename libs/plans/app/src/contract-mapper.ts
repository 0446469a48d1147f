import type { StoredEvent } from '@mandate/event-store';
import type { CloudEvent, OutgoingMessage } from '@mandate/messaging';
import {
  PLAN_ISSUED_V1,
  PLANS_TOPIC,
  TASK_ASSIGNED_V1,
  TASK_ISSUED_V1,
  TASK_STATUS_CHANGED_V1,
  TASKS_TOPIC,
  type AgencyRefV1,
  type PlansContract,
} from '@mandate/plans-contracts';
import type { AgencyRef, PlanEvent, TaskEvent } from '@mandate/plans-domain';
import { toDomainEvent } from './command-handler';

const agencyV1 = (ref: AgencyRef): AgencyRefV1 => ({ agencyId: ref.agencyId, name: ref.name, resolution: ref.resolution });

const contractOf = (record: StoredEvent): { topic: string; contract: PlansContract } | null => {
  const event = toDomainEvent<PlanEvent | TaskEvent>(record);
  switch (event.type) {
    case 'PlanIssued': {
      const d = event.data;
      return {
        topic: PLANS_TOPIC,
        contract: {
          type: PLAN_ISSUED_V1,
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
          type: TASK_ISSUED_V1,
          data: {
            taskId: d.taskId,
            planId: d.planId,
            planNumber: d.planNumber,
            ref: d.ref,
            title: d.title,
            deadline: { text: d.deadline.text, kind: d.deadline.kind, due: d.deadline.due },
            status: 'not_started',
          },
        },
      };
    }
    case 'TaskAssigned': {
      const d = event.data;
      return {
        topic: TASKS_TOPIC,
        contract: {
          type: TASK_ASSIGNED_V1,
          data: {
            taskId: d.taskId,
            planId: d.planId,
            lead: agencyV1(d.lead),
            coordinators: d.coordinators.map(agencyV1),
            previousLeadAgencyId: d.previousLeadAgencyId,
          },
        },
      };
    }
    case 'TaskStatusChanged': {
      const d = event.data;
      return {
        topic: TASKS_TOPIC,
        contract: {
          type: TASK_STATUS_CHANGED_V1,
          data: {
            taskId: d.taskId,
            planId: d.planId,
            from: d.from,
            to: d.to,
            note: d.note,
            changedAt: d.changedAt,
            actor: { userId: event.metadata.actorId, role: event.metadata.role, agencyId: event.metadata.agencyId },
          },
        },
      };
    }
    default:
      return null;
  }
};

/** Domain event -> published contract; internal shapes never leave the service. */
export const toOutgoingMessage = (record: StoredEvent): OutgoingMessage | null => {
  const mapped = contractOf(record);
  if (!mapped) return null;
  const event: CloudEvent = {
    specversion: '1.0',
    id: record.id,
    type: mapped.contract.type,
    source: `/mandate/${record.metadata.cityId}/plans`,
    subject: record.streamId,
    time: record.metadata.occurredAt,
    datacontenttype: 'application/json',
    cityid: record.metadata.cityId,
    correlationid: record.metadata.correlationId,
    sequence: record.streamVersion.toString(),
    data: mapped.contract.data,
  };
  return { topic: mapped.topic, key: record.streamId, event };
};
