/**
 * The JSON Schemas (draft 2020-12) of the platform's contracts (plans, reporting and cities): the one source of truth for their
 * shape, read by `validateContract` here and referenced by `docs/asyncapi.yaml`.
 *
 * The schemas keep to keywords that mean the same in draft-07 and 2020-12, so AsyncAPI 3.0
 * tooling (which registers draft-07) reads them unchanged; a unit test holds them to that.
 * Keys are spelled out rather than imported from `./index` to keep the module graph acyclic;
 * `index.ts` checks them against the contract union at compile time and a test at run time.
 */
import cloudEvent from './schemas/cloudevent.v1.schema.json';
import kafkaHeaders from './schemas/cloudevent-kafka-headers.v1.schema.json';
import planAmended from './schemas/vn.mandate.plan.amended.v1.schema.json';
import planIndicatorsSet from './schemas/vn.mandate.plan.indicators-set.v1.schema.json';
import planIssued from './schemas/vn.mandate.plan.issued.v1.schema.json';
import planIssuedV2 from './schemas/vn.mandate.plan.issued.v2.schema.json';
import planAmendedV2 from './schemas/vn.mandate.plan.amended.v2.schema.json';
import planNumbered from './schemas/vn.mandate.plan.numbered.v1.schema.json';
import planImportReviewed from './schemas/vn.mandate.plan.import-reviewed.v1.schema.json';
import taskIssuedV3 from './schemas/vn.mandate.task.issued.v3.schema.json';
import taskAssigned from './schemas/vn.mandate.task.assigned.v1.schema.json';
import taskDueSoon from './schemas/vn.mandate.task.due-soon.v1.schema.json';
import taskExtensionApproved from './schemas/vn.mandate.task.extension-approved.v1.schema.json';
import taskExtensionRejected from './schemas/vn.mandate.task.extension-rejected.v1.schema.json';
import taskExtensionRequested from './schemas/vn.mandate.task.extension-requested.v1.schema.json';
import taskIssued from './schemas/vn.mandate.task.issued.v1.schema.json';
import taskIssuedV2 from './schemas/vn.mandate.task.issued.v2.schema.json';
import taskAssignedV2 from './schemas/vn.mandate.task.assigned.v2.schema.json';
import taskLinked from './schemas/vn.mandate.task.linked.v1.schema.json';
import taskOccurrenceOpened from './schemas/vn.mandate.task.occurrence-opened.v1.schema.json';
import taskOverdue from './schemas/vn.mandate.task.overdue.v1.schema.json';
import taskProgressReported from './schemas/vn.mandate.task.progress-reported.v1.schema.json';
import taskRevised from './schemas/vn.mandate.task.revised.v1.schema.json';
import taskStatusChanged from './schemas/vn.mandate.task.status-changed.v1.schema.json';
import taskStatusChangedV2 from './schemas/vn.mandate.task.status-changed.v2.schema.json';
import taskWithdrawn from './schemas/vn.mandate.task.withdrawn.v1.schema.json';
import reportAccepted from './schemas/vn.mandate.report.accepted.v1.schema.json';
import reportOverdue from './schemas/vn.mandate.report.overdue.v1.schema.json';
import reportRequested from './schemas/vn.mandate.report.requested.v1.schema.json';
import reportReturned from './schemas/vn.mandate.report.returned.v1.schema.json';
import reportSubmitted from './schemas/vn.mandate.report.submitted.v1.schema.json';
import cityCreated from './schemas/vn.mandate.city.created.v1.schema.json';
import citySettingsChanged from './schemas/vn.mandate.city.settings-changed.v1.schema.json';
import citySuspended from './schemas/vn.mandate.city.suspended.v1.schema.json';
import cityResumed from './schemas/vn.mandate.city.resumed.v1.schema.json';
import cityMerged from './schemas/vn.mandate.city.merged.v1.schema.json';
import planMoved from './schemas/vn.mandate.plan.moved.v1.schema.json';
import taskMoved from './schemas/vn.mandate.task.moved.v1.schema.json';

/** The schema of each event type's `data`, by CloudEvents `type`. */
export const contractSchemas = {
  'vn.mandate.plan.issued.v1': planIssued,
  'vn.mandate.plan.issued.v2': planIssuedV2,
  'vn.mandate.plan.numbered.v1': planNumbered,
  'vn.mandate.plan.import-reviewed.v1': planImportReviewed,
  'vn.mandate.task.issued.v1': taskIssued,
  'vn.mandate.task.issued.v2': taskIssuedV2,
  'vn.mandate.task.issued.v3': taskIssuedV3,
  'vn.mandate.task.assigned.v1': taskAssigned,
  'vn.mandate.task.assigned.v2': taskAssignedV2,
  'vn.mandate.task.status-changed.v1': taskStatusChanged,
  'vn.mandate.task.status-changed.v2': taskStatusChangedV2,
  'vn.mandate.plan.amended.v1': planAmended,
  'vn.mandate.plan.amended.v2': planAmendedV2,
  'vn.mandate.task.revised.v1': taskRevised,
  'vn.mandate.task.withdrawn.v1': taskWithdrawn,
  'vn.mandate.task.moved.v1': taskMoved,
  'vn.mandate.plan.moved.v1': planMoved,
  'vn.mandate.task.progress-reported.v1': taskProgressReported,
  'vn.mandate.task.extension-requested.v1': taskExtensionRequested,
  'vn.mandate.task.extension-approved.v1': taskExtensionApproved,
  'vn.mandate.task.extension-rejected.v1': taskExtensionRejected,
  'vn.mandate.task.due-soon.v1': taskDueSoon,
  'vn.mandate.task.overdue.v1': taskOverdue,
  'vn.mandate.task.occurrence-opened.v1': taskOccurrenceOpened,
  'vn.mandate.task.linked.v1': taskLinked,
  'vn.mandate.plan.indicators-set.v1': planIndicatorsSet,
  'vn.mandate.report.requested.v1': reportRequested,
  'vn.mandate.report.submitted.v1': reportSubmitted,
  'vn.mandate.report.returned.v1': reportReturned,
  'vn.mandate.report.accepted.v1': reportAccepted,
  'vn.mandate.report.overdue.v1': reportOverdue,
  'vn.mandate.city.created.v1': cityCreated,
  'vn.mandate.city.settings-changed.v1': citySettingsChanged,
  'vn.mandate.city.suspended.v1': citySuspended,
  'vn.mandate.city.resumed.v1': cityResumed,
  'vn.mandate.city.merged.v1': cityMerged,
} as const;

/** The CloudEvent envelope (structured view: attributes plus `data`). */
export const cloudEventSchema = cloudEvent;

/** The Kafka headers of binary mode (`ce_<attribute>`, `content-type`). */
export const kafkaHeadersSchema = kafkaHeaders;

/** File name of each schema, relative to `libs/plans/contracts/src/schemas/`. */
export const contractSchemaFiles = {
  'vn.mandate.plan.issued.v1': 'vn.mandate.plan.issued.v1.schema.json',
  'vn.mandate.plan.issued.v2': 'vn.mandate.plan.issued.v2.schema.json',
  'vn.mandate.plan.numbered.v1': 'vn.mandate.plan.numbered.v1.schema.json',
  'vn.mandate.plan.import-reviewed.v1': 'vn.mandate.plan.import-reviewed.v1.schema.json',
  'vn.mandate.task.issued.v1': 'vn.mandate.task.issued.v1.schema.json',
  'vn.mandate.task.issued.v2': 'vn.mandate.task.issued.v2.schema.json',
  'vn.mandate.task.issued.v3': 'vn.mandate.task.issued.v3.schema.json',
  'vn.mandate.task.assigned.v1': 'vn.mandate.task.assigned.v1.schema.json',
  'vn.mandate.task.assigned.v2': 'vn.mandate.task.assigned.v2.schema.json',
  'vn.mandate.task.status-changed.v1': 'vn.mandate.task.status-changed.v1.schema.json',
  'vn.mandate.task.status-changed.v2': 'vn.mandate.task.status-changed.v2.schema.json',
  'vn.mandate.plan.amended.v1': 'vn.mandate.plan.amended.v1.schema.json',
  'vn.mandate.plan.amended.v2': 'vn.mandate.plan.amended.v2.schema.json',
  'vn.mandate.task.revised.v1': 'vn.mandate.task.revised.v1.schema.json',
  'vn.mandate.task.withdrawn.v1': 'vn.mandate.task.withdrawn.v1.schema.json',
  'vn.mandate.task.moved.v1': 'vn.mandate.task.moved.v1.schema.json',
  'vn.mandate.plan.moved.v1': 'vn.mandate.plan.moved.v1.schema.json',
  'vn.mandate.task.progress-reported.v1': 'vn.mandate.task.progress-reported.v1.schema.json',
  'vn.mandate.task.extension-requested.v1': 'vn.mandate.task.extension-requested.v1.schema.json',
  'vn.mandate.task.extension-approved.v1': 'vn.mandate.task.extension-approved.v1.schema.json',
  'vn.mandate.task.extension-rejected.v1': 'vn.mandate.task.extension-rejected.v1.schema.json',
  'vn.mandate.task.due-soon.v1': 'vn.mandate.task.due-soon.v1.schema.json',
  'vn.mandate.task.overdue.v1': 'vn.mandate.task.overdue.v1.schema.json',
  'vn.mandate.task.occurrence-opened.v1': 'vn.mandate.task.occurrence-opened.v1.schema.json',
  'vn.mandate.task.linked.v1': 'vn.mandate.task.linked.v1.schema.json',
  'vn.mandate.plan.indicators-set.v1': 'vn.mandate.plan.indicators-set.v1.schema.json',
  'vn.mandate.report.requested.v1': 'vn.mandate.report.requested.v1.schema.json',
  'vn.mandate.report.submitted.v1': 'vn.mandate.report.submitted.v1.schema.json',
  'vn.mandate.report.returned.v1': 'vn.mandate.report.returned.v1.schema.json',
  'vn.mandate.report.accepted.v1': 'vn.mandate.report.accepted.v1.schema.json',
  'vn.mandate.report.overdue.v1': 'vn.mandate.report.overdue.v1.schema.json',
  'vn.mandate.city.created.v1': 'vn.mandate.city.created.v1.schema.json',
  'vn.mandate.city.settings-changed.v1': 'vn.mandate.city.settings-changed.v1.schema.json',
  'vn.mandate.city.suspended.v1': 'vn.mandate.city.suspended.v1.schema.json',
  'vn.mandate.city.resumed.v1': 'vn.mandate.city.resumed.v1.schema.json',
  'vn.mandate.city.merged.v1': 'vn.mandate.city.merged.v1.schema.json',
  cloudEvent: 'cloudevent.v1.schema.json',
  kafkaHeaders: 'cloudevent-kafka-headers.v1.schema.json',
} as const;
