import { toDomainEvent, type StoredEvent } from '@mandate/event-store';
import { outgoingMessageOf, type OutgoingMessage } from '@mandate/messaging';
import {
  REPORT_ACCEPTED_V1,
  REPORT_OVERDUE_V1,
  REPORT_REQUESTED_V1,
  REPORT_RETURNED_V1,
  REPORT_SUBMITTED_V1,
  REPORTS_TOPIC,
  type ReportsContract,
} from '@mandate/plans-contracts';
import type { AgencyReportEvent, ReportRequested } from '@mandate/reporting-domain';

/** The facts of a report's request that every contract of the report repeats. */
export type RequestFacts = Pick<ReportRequested['data'], 'reportId' | 'planId' | 'agencyId'> & { periodKey: string; dueOn: string };

/** Named fields only: a field the domain adds to requests later stays inside the service. */
export const requestFactsOf = (request: ReportRequested['data']): RequestFacts => ({
  reportId: request.reportId,
  planId: request.planId,
  agencyId: request.agencyId,
  periodKey: request.period.key,
  dueOn: request.period.due,
});

/**
 * Domain event -> published contract, field by field: the content of a report (what the agency
 * wrote), its labels and who acted stay inside the service.
 */
const contractOf = (event: Exclude<AgencyReportEvent, { type: 'ReportDraftSaved' }>, facts: RequestFacts): ReportsContract => {
  switch (event.type) {
    case 'ReportRequested': {
      const d = event.data;
      return {
        type: REPORT_REQUESTED_V1,
        data: {
          reportId: d.reportId,
          planId: d.planId,
          planNumber: d.planNumber,
          agencyId: d.agencyId,
          receiver: d.receiver,
          periodKey: d.period.key,
          dueOn: d.period.due,
          taskIds: [...d.taskIds],
          requestedAt: d.requestedAt,
        },
      };
    }
    case 'ReportSubmitted':
      return { type: REPORT_SUBMITTED_V1, data: { ...facts, submittedAt: event.data.submittedAt, late: event.data.late } };
    case 'ReportReturned':
      return { type: REPORT_RETURNED_V1, data: { ...facts, reason: event.data.reason, returnedAt: event.data.returnedAt } };
    case 'ReportAccepted':
      return { type: REPORT_ACCEPTED_V1, data: { ...facts, acceptedAt: event.data.acceptedAt } };
    case 'ReportOverdue':
      return { type: REPORT_OVERDUE_V1, data: { ...facts, markedAt: event.data.markedAt } };
  }
};

/**
 * A stored event of reporting's log as the message it publishes on mandate.reports.v1, or null for
 * one it does not publish. Later events of a report do not repeat its request in the log:
 * `requestOf` gives the facts of the stream's ReportRequested (its first event), asked only when needed.
 */
export const toReportMessage = async (record: StoredEvent, requestOf: () => Promise<RequestFacts | undefined>): Promise<OutgoingMessage | null> => {
  const event = toDomainEvent<AgencyReportEvent>(record);
  if (event.type === 'ReportDraftSaved') return null;
  const facts = event.type === 'ReportRequested' ? requestFactsOf(event.data) : await requestOf();
  // A report's stream always opens with its request (the decider knows no report before it).
  if (!facts) throw new Error(`Report stream ${record.streamId} has no ReportRequested before ${record.type} (version ${record.streamVersion})`);
  return outgoingMessageOf(record, 'reporting', REPORTS_TOPIC, contractOf(event, facts));
};
