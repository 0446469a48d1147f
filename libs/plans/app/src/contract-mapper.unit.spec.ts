import * as fs from 'node:fs';
import * as path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { StoredEvent } from '@mandate/event-store';
import { encodeCloudEvent } from '@mandate/messaging';
import { importPlan } from '@mandate/plan-import';
import { cityDecider, type CityEvent } from '@mandate/cities-domain';
import { PLATFORM_CITY } from '@mandate/kernel';
import {
  CITIES_TOPIC,
  CITY_CREATED_V1,
  CITY_RESUMED_V1,
  CITY_SETTINGS_CHANGED_V1,
  CITY_SUSPENDED_V1,
  cityOfContract,
  CONTRACT_TOPICS,
  contractSchemas,
  kafkaHeadersSchema,
  PLAN_AMENDED_V2,
  PLAN_INDICATORS_SET_V1,
  PLAN_ISSUED_V2,
  PLAN_NUMBERED_V1,
  PLAN_IMPORT_REVIEWED_V1,
  PLANS_TOPIC,
  TASK_ASSIGNED_V2,
  TASK_MOVED_V1,
  PLAN_MOVED_V1,
  CITY_MERGED_V1,
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
  RETIRED_CONTRACTS,
  TASK_STATUS_CHANGED_V1,
  TASK_STATUS_CHANGED_V2,
  TASK_STATUS_CODES,
  TASK_STATUS_CODES_V2,
  TASK_STATUS_V1_TO_V2,
  TASK_WITHDRAWN_V1,
  TASKS_TOPIC,
  validateCloudEvent,
  validateContract,
} from '@mandate/plans-contracts';
import {
  DEADLINE_KINDS,
  decidePlan,
  decideTask,
  evolvePlan,
  evolveTask,
  initialPlanState,
  initialTaskState,
  RENAMED_STATUSES,
  TASK_STATUSES,
  TASK_TRANSITIONS,
  type Agency,
  type DeadlineKind,
  type DeadlineSpec,
  type IndicatorDraft,
  type PlanAmended,
  type PlanEvent,
  type PlanIndicatorsSet,
  type PlanNumbered,
  type PlanImportReviewed,
  type Task,
  type TaskCommand,
  type TaskDraft,
  type TaskEvent,
  type TaskRevised,
  type TaskWithdrawn,
} from '@mandate/plans-domain';
import {
  TASK_ID,
  PLAN_ID,
  allDepartments,
  assigned,
  byOffice,
  byPlanning,
  deadline,
  finance,
  issued,
  issuePlan,
  justice,
  officerOf,
  planIssued,
  statusChanged,
  taskDraft,
} from '../../domain/src/testing/builders';
import { toOutgoingMessage } from './contract-mapper';
import { cityStream } from './cities.service';
import { planStream, taskStream } from './plans.service';

const EVENT_ID = '3f0e8a52-6a8e-4b8f-9d1e-5c2b7a9e0c41';
const RECORDED_AT = new Date('2021-09-01T02:00:00.123Z');

let position = 0n;
const stored = (streamId: string, streamVersion: bigint, event: PlanEvent | TaskEvent | CityEvent, overrides: Partial<StoredEvent> = {}): StoredEvent => ({
  streamId,
  streamVersion,
  globalPosition: ++position,
  transactionId: '7541',
  recordedAt: RECORDED_AT,
  hash: 'a'.repeat(64),
  id: EVENT_ID,
  type: event.type,
  schemaVersion: 1,
  data: event.data as unknown as Record<string, unknown>,
  metadata: {
    cityId: event.metadata.cityId,
    actorId: event.metadata.actorId,
    role: event.metadata.role,
    agencyId: event.metadata.agencyId,
    correlationId: 'corr-183',
    causationId: null,
    occurredAt: '2021-09-01T02:00:00.000Z',
  },
  ...overrides,
});

const map = (record: StoredEvent) => {
  const message = toOutgoingMessage(record);
  if (!message) throw new Error(`${record.type} has no contract`);
  return message;
};

const headersAjv = new Ajv2020({ allErrors: true, allowUnionTypes: true });
addFormats(headersAjv);
const validateHeaders = headersAjv.compile(kafkaHeadersSchema);

const TASK_STREAM = taskStream(TASK_ID);
const PLAN_STREAM = planStream(PLAN_ID);
const TASK_ID_2 = 'b9f0c7e4-0000-4000-8000-000000000002';
const TASK_ID_3 = 'b9f0c7e4-0000-4000-8000-000000000003';
const REASON = 'Not in the version of 183/KH-UBND imported from ha-noi-183-KH-UBND-2021-v2.txt';

// Amendment events come from the deciders, so the mapper is tested against what the domain really emits.
const issuedTask = () => [issued(), assigned()].reduce(evolveTask, initialTaskState());

const revise = (overrides: Partial<TaskDraft>): TaskEvent[] =>
  decideTask({ type: 'ReviseTask', data: { taskId: TASK_ID, draft: taskDraft(overrides) }, metadata: byOffice }, issuedTask());

const taskRevised = (overrides: Partial<TaskDraft>): TaskRevised => {
  const [event] = revise(overrides);
  if (event?.type !== 'TaskRevised') throw new Error(`expected TaskRevised, got ${event?.type}`);
  return event;
};

const taskWithdrawn = (): TaskWithdrawn => {
  const [event] = decideTask({ type: 'WithdrawTask', data: { taskId: TASK_ID, reason: REASON }, metadata: byOffice }, issuedTask());
  if (event?.type !== 'TaskWithdrawn') throw new Error(`expected TaskWithdrawn, got ${event?.type}`);
  return event;
};

/** A copy before signing tracked without number or date, then its signed version imported as its amendment. */
const blank = { number: null, issuedOn: null };
const planNumbered = (): PlanNumbered => {
  const plan = decidePlan(issuePlan(blank), initialPlanState()).reduce(evolvePlan, initialPlanState());
  const { data } = issuePlan();
  const [event, ...more] = decidePlan(
    { type: 'AmendPlan', data: { planId: PLAN_ID, draft: data.draft, tasks: data.tasks, revised: [] }, metadata: byOffice },
    plan,
  );
  if (event?.type !== 'PlanNumbered' || more.length > 0) throw new Error(`expected PlanNumbered, got ${[event, ...more].map((e) => e?.type).join(', ')}`);
  return event;
};

/** The office corrected the lead of PL2.I.1 before confirming the import that issued the plan. */
const planImportReviewed = (): PlanImportReviewed => {
  const plan = decidePlan(issuePlan(), initialPlanState()).reduce(evolvePlan, initialPlanState());
  const changes = [{ path: 'tasks.PL2.I.1.lead', from: null, to: { agencyId: 'so-tu-phap', name: 'Sở Tư pháp' } }];
  const [event] = decidePlan({ type: 'RecordImportReview', data: { planId: PLAN_ID, document: 'ke-hoach-183.docx', changes }, metadata: byOffice }, plan);
  if (event?.type !== 'PlanImportReviewed') throw new Error(`expected PlanImportReviewed, got ${event?.type}`);
  return event;
};

/** 183/KH-UBND issued with PL2.I.1 and PL2.I.2, then amended: PL2.I.1 revised, PL2.I.2 dropped, PL2.I.3 added. */
const planAmended = (): PlanAmended => {
  const issue = issuePlan();
  const twoTasks = {
    ...issue,
    data: {
      ...issue.data,
      tasks: [
        { taskId: TASK_ID, ref: 'PL2.I.1' },
        { taskId: TASK_ID_2, ref: 'PL2.I.2' },
      ],
    },
  };
  const plan = decidePlan(twoTasks, initialPlanState()).reduce(evolvePlan, initialPlanState());
  const [event] = decidePlan(
    {
      type: 'AmendPlan',
      data: {
        planId: PLAN_ID,
        draft: { ...issue.data.draft, title: 'Triển khai thực hiện Nghị quyết số 50/NQ-CP (sửa đổi, bổ sung)' },
        tasks: [
          { taskId: TASK_ID, ref: 'PL2.I.1' },
          { taskId: TASK_ID_3, ref: 'PL2.I.3' },
        ],
        revised: [TASK_ID],
      },
      metadata: byOffice,
    },
    plan,
  );
  if (event?.type !== 'PlanAmended') throw new Error(`expected PlanAmended, got ${event?.type}`);
  return event;
};
/** Two indicators of 183/KH-UBND: one with a range and a single-number target and a lead, one with only text and no lead. */
const INDICATORS: IndicatorDraft[] = [
  {
    ref: 'PL1.1',
    group: 'A. Chỉ tiêu kinh tế',
    name: 'Tốc độ tăng trưởng GRDP bình quân',
    unit: '%',
    targets: [
      { horizon: 2025, text: '7,5-8,0', min: 7.5, max: 8 },
      { horizon: 2030, text: 'đạt 8,5', value: 8.5 },
    ],
    lead: { agencyId: 'so-ke-hoach-dau-tu', name: 'Sở Kế hoạch và Đầu tư' },
  },
  {
    ref: 'PL1.2',
    group: null,
    name: 'Tỷ lệ hộ nghèo',
    unit: null,
    targets: [{ horizon: null, text: 'Cơ bản không còn hộ nghèo' }],
    lead: null,
  },
];

/** 183/KH-UBND issued with indicators, as the decider decides it: PlanIssued, then PlanIndicatorsSet. */
const issueWithIndicators = (indicators: IndicatorDraft[] = INDICATORS) => {
  const issue = issuePlan();
  return decidePlan({ ...issue, data: { ...issue.data, draft: { ...issue.data.draft, indicators } } }, initialPlanState());
};

const planIndicatorsSet = (indicators: IndicatorDraft[] = INDICATORS): PlanIndicatorsSet => {
  const [, event, ...more] = issueWithIndicators(indicators);
  if (event?.type !== 'PlanIndicatorsSet' || more.length > 0) throw new Error(`expected PlanIndicatorsSet, got ${event?.type}`);
  return event;
};

/** The one event a command decided, checked to be of the type the test needs. */
const decided = <T extends TaskEvent['type']>(type: T, command: TaskCommand, state: Task): Extract<TaskEvent, { type: T }> => {
  const [event, ...more] = decideTask(command, state);
  if (event?.type !== type || more.length > 0) throw new Error(`expected one ${type}, got ${[event, ...more].map((e) => e?.type).join(', ')}`);
  return event as Extract<TaskEvent, { type: T }>;
};

const REQUEST_ID = 'gh-2021-001';
const ATTACHMENT = { name: 'du-thao-luat-thu-do.pdf', contentType: 'application/pdf', size: 482113, url: null };

const progressReported = (metadata = officerOf(justice), state = issuedTask()) =>
  decided(
    'ProgressReported',
    {
      type: 'ReportProgress',
      data: { taskId: TASK_ID, percent: 60, text: '  Đã trình dự thảo lên Bộ Tư pháp.  ', attachments: [ATTACHMENT] },
      metadata,
    },
    state,
  );

const extensionRequested = (state = issuedTask(), requestId = REQUEST_ID) =>
  decided(
    'ExtensionRequested',
    {
      type: 'RequestExtension',
      data: { taskId: TASK_ID, requestId, until: '2021-12-31', reason: 'Chờ ý kiến thẩm định của Bộ Tư pháp.' },
      metadata: officerOf(justice),
    },
    state,
  );

/** The task once the lead agency has asked for an extension to 31/12/2021. */
const requestedTask = (state = issuedTask()) => evolveTask(state, extensionRequested(state));

const extensionApproved = (metadata = byOffice, state = requestedTask()) =>
  decided('ExtensionApproved', { type: 'ApproveExtension', data: { taskId: TASK_ID, requestId: REQUEST_ID, note: ' Đồng ý. ' }, metadata }, state);

const extensionRejected = (metadata = byPlanning, state = requestedTask()) =>
  decided(
    'ExtensionRejected',
    { type: 'RejectExtension', data: { taskId: TASK_ID, requestId: REQUEST_ID, reason: 'Nhiệm vụ trọng tâm, không gia hạn.' }, metadata },
    state,
  );

/** The deadline scheduler, as plans.service runs it, at an instant. */
const bySchedulerAt = (iso: string) => ({ ...byOffice, actorId: 'system:deadline-scheduler', agencyId: null, now: new Date(iso) });

// The task of the builders is due on 30 September 2021 (Hà Nội time): due soon from the 27th 17:00Z, overdue from the 30th 17:00Z.
const DUE_SOON_AT = '2021-09-28T01:00:00.000Z';
const OVERDUE_AT = '2021-09-30T17:00:00.000Z';
const becameDueSoon = (iso = DUE_SOON_AT, state = issuedTask()) =>
  decided('TaskBecameDueSoon', { type: 'MarkDeadline', data: { taskId: TASK_ID, mark: 'due_soon' }, metadata: bySchedulerAt(iso) }, state);
const becameOverdue = (iso = OVERDUE_AT, state = issuedTask()) =>
  decided('TaskBecameOverdue', { type: 'MarkDeadline', data: { taskId: TASK_ID, mark: 'overdue' }, metadata: bySchedulerAt(iso) }, state);

const repeating = (spec: Pick<DeadlineSpec, 'kind' | 'recurrence' | 'text'>) =>
  [issued(taskDraft({ deadline: { ...spec, due: null, start: null } })), assigned()].reduce(evolveTask, initialTaskState());
const quarterlyTask = () => repeating({ text: 'Báo cáo định kỳ hằng quý', kind: 'recurring', recurrence: 'quarterly' });
const continuousTask = () => repeating({ text: 'Thường xuyên', kind: 'continuous', recurrence: null });
const openOccurrences = (iso: string, state: Task) => decideTask({ type: 'OpenOccurrences', data: { taskId: TASK_ID }, metadata: bySchedulerAt(iso) }, state);
/** The first quarter of a task issued on 1 September 2021: Q3 2021. */
const occurrenceOpened = (state = quarterlyTask()) =>
  decided('TaskOccurrenceOpened', { type: 'OpenOccurrences', data: { taskId: TASK_ID }, metadata: bySchedulerAt('2021-09-01T02:00:00.000Z') }, state);

const linkedToParent = (state = issuedTask()) =>
  decided('TaskLinkedToParent', { type: 'LinkTask', data: { taskId: TASK_ID, parentTaskId: TASK_ID_2 }, metadata: byOffice }, state);

/** Hà Nội's task and plan moved as if Hà Tây had held them and merged into Hà Nội (the operator acts in the successor). */
const byOperatorInHaNoi = { ...byOffice, role: 'operator' as const, actorId: 'op-1' };
const movedTask = () =>
  decided(
    'TaskMovedToCity',
    { type: 'MoveTaskToCity', data: { taskId: TASK_ID, fromCityId: 'ha-tay', reason: 'Hợp nhất tỉnh Hà Tây vào Hà Nội' }, metadata: byOperatorInHaNoi },
    issuedTask(),
  );
const movedPlan = () => {
  const [event] = decidePlan(
    { type: 'MovePlanToCity', data: { planId: PLAN_ID, fromCityId: 'ha-tay', reason: 'Hợp nhất tỉnh Hà Tây vào Hà Nội' }, metadata: byOperatorInHaNoi },
    evolvePlan(initialPlanState(), planIssued()),
  );
  return event;
};

const quarterDeadline = { text: 'Quý IV/2021', kind: 'quarter' as const, due: '2021-12-31', start: '2021-10-01', recurrence: null };

describe('toOutgoingMessage', () => {
  const cases = [
    { name: 'PlanIssued', record: () => stored(PLAN_STREAM, 1n, planIssued()), type: PLAN_ISSUED_V2, topic: PLANS_TOPIC },
    { name: 'TaskIssued', record: () => stored(TASK_STREAM, 1n, issued()), type: TASK_ISSUED_V3, topic: TASKS_TOPIC },
    { name: 'TaskAssigned', record: () => stored(TASK_STREAM, 2n, assigned()), type: TASK_ASSIGNED_V2, topic: TASKS_TOPIC },
    {
      name: 'TaskStatusChanged',
      record: () => stored(TASK_STREAM, 3n, statusChanged('not_started', 'in_progress', officerOf(justice), 'Đã giao Phòng Pháp chế')),
      type: TASK_STATUS_CHANGED_V2,
      topic: TASKS_TOPIC,
    },
    { name: 'PlanAmended', record: () => stored(PLAN_STREAM, 2n, planAmended()), type: PLAN_AMENDED_V2, topic: PLANS_TOPIC },
    { name: 'PlanNumbered', record: () => stored(PLAN_STREAM, 2n, planNumbered()), type: PLAN_NUMBERED_V1, topic: PLANS_TOPIC },
    { name: 'PlanImportReviewed', record: () => stored(PLAN_STREAM, 2n, planImportReviewed()), type: PLAN_IMPORT_REVIEWED_V1, topic: PLANS_TOPIC },
    { name: 'PlanIndicatorsSet', record: () => stored(PLAN_STREAM, 2n, planIndicatorsSet()), type: PLAN_INDICATORS_SET_V1, topic: PLANS_TOPIC },
    {
      name: 'TaskRevised',
      record: () => stored(TASK_STREAM, 3n, taskRevised({ title: 'Xây dựng Luật Thủ đô sửa đổi.', deadline: quarterDeadline })),
      type: TASK_REVISED_V1,
      topic: TASKS_TOPIC,
    },
    { name: 'TaskWithdrawn', record: () => stored(TASK_STREAM, 3n, taskWithdrawn()), type: TASK_WITHDRAWN_V1, topic: TASKS_TOPIC },
    { name: 'ProgressReported', record: () => stored(TASK_STREAM, 3n, progressReported()), type: TASK_PROGRESS_REPORTED_V1, topic: TASKS_TOPIC },
    { name: 'ExtensionRequested', record: () => stored(TASK_STREAM, 3n, extensionRequested()), type: TASK_EXTENSION_REQUESTED_V1, topic: TASKS_TOPIC },
    { name: 'ExtensionApproved', record: () => stored(TASK_STREAM, 4n, extensionApproved()), type: TASK_EXTENSION_APPROVED_V1, topic: TASKS_TOPIC },
    { name: 'ExtensionRejected', record: () => stored(TASK_STREAM, 4n, extensionRejected()), type: TASK_EXTENSION_REJECTED_V1, topic: TASKS_TOPIC },
    { name: 'TaskBecameDueSoon', record: () => stored(TASK_STREAM, 3n, becameDueSoon()), type: TASK_DUE_SOON_V1, topic: TASKS_TOPIC },
    { name: 'TaskBecameOverdue', record: () => stored(TASK_STREAM, 4n, becameOverdue()), type: TASK_OVERDUE_V1, topic: TASKS_TOPIC },
    { name: 'TaskOccurrenceOpened', record: () => stored(TASK_STREAM, 3n, occurrenceOpened()), type: TASK_OCCURRENCE_OPENED_V1, topic: TASKS_TOPIC },
    { name: 'TaskLinkedToParent', record: () => stored(TASK_STREAM, 3n, linkedToParent()), type: TASK_LINKED_V1, topic: TASKS_TOPIC },
    { name: 'TaskMovedToCity', record: () => stored(TASK_STREAM, 3n, movedTask()), type: TASK_MOVED_V1, topic: TASKS_TOPIC },
    { name: 'PlanMovedToCity', record: () => stored(PLAN_STREAM, 2n, movedPlan()), type: PLAN_MOVED_V1, topic: PLANS_TOPIC },
  ];

  // The operator log's events, as the city decider emits them (under the pseudo-city `platform`).
  const operator = { actorId: 'op-1', role: 'operator' as const, agencyId: null, cityId: PLATFORM_CITY, now: new Date('2026-12-07T03:00:00Z') };
  const cityCreated = cityDecider.decide(
    {
      type: 'CreateCity',
      data: { cityId: 'quang-ninh', name: 'Tỉnh Quảng Ninh', level: 'province', reporting: { dueDay: { half: 25 } }, reason: 'Tỉnh đăng ký sử dụng nền tảng' },
      metadata: operator,
    },
    cityDecider.initialState(),
  )[0];
  const cityAfterCreation = cityDecider.evolve(cityDecider.initialState(), cityCreated);
  const citySuspended = cityDecider.decide(
    { type: 'SuspendCity', data: { cityId: 'quang-ninh', reason: 'Hợp đồng tạm dừng' }, metadata: operator },
    cityAfterCreation,
  )[0];
  const cityChanged = cityDecider.decide(
    { type: 'ChangeCitySettings', data: { cityId: 'quang-ninh', changes: { dueSoonDays: 5 }, reason: 'Văn phòng đề nghị' }, metadata: operator },
    cityDecider.evolve(cityAfterCreation, citySuspended),
  )[0];
  const cityResumed = cityDecider.decide(
    { type: 'ResumeCity', data: { cityId: 'quang-ninh', reason: 'Gia hạn hợp đồng' }, metadata: operator },
    [citySuspended, cityChanged].reduce(cityDecider.evolve, cityAfterCreation),
  )[0];
  const cityMerged = cityDecider.decide(
    { type: 'MergeCity', data: { cityId: 'quang-ninh', into: 'hai-phong', reason: 'Sắp xếp đơn vị hành chính' }, metadata: operator },
    [citySuspended, cityChanged, cityResumed].reduce(cityDecider.evolve, cityAfterCreation),
  )[0];
  const CITY_STREAM = cityStream('quang-ninh');
  const cityCases = [
    { name: 'CityCreated', record: () => stored(CITY_STREAM, 1n, cityCreated), type: CITY_CREATED_V1, topic: CITIES_TOPIC },
    { name: 'CitySuspended', record: () => stored(CITY_STREAM, 2n, citySuspended), type: CITY_SUSPENDED_V1, topic: CITIES_TOPIC },
    { name: 'CitySettingsChanged', record: () => stored(CITY_STREAM, 3n, cityChanged), type: CITY_SETTINGS_CHANGED_V1, topic: CITIES_TOPIC },
    { name: 'CityResumed', record: () => stored(CITY_STREAM, 4n, cityResumed), type: CITY_RESUMED_V1, topic: CITIES_TOPIC },
    { name: 'CityMerged', record: () => stored(CITY_STREAM, 5n, cityMerged), type: CITY_MERGED_V1, topic: CITIES_TOPIC },
  ];

  it('covers every contract type the plans service still publishes', () => {
    const published = Object.keys(CONTRACT_TOPICS).filter((type) => !(type in RETIRED_CONTRACTS));
    expect([...cases, ...cityCases].map((c) => c.type).sort()).toEqual(published.sort());
  });

  it('publishes the operator log as the platform’s, each message with the whole city after the change', () => {
    const messages = cityCases.map(({ record }) => map(record()));
    expect(messages.map((m) => [m.event.cityid, m.event.source, m.key])).toEqual(Array(5).fill(['platform', '/mandate/platform/plans', 'city-quang-ninh']));
    expect(messages.map((m) => cityOfContract(m.event))).toEqual([
      {
        cityId: 'quang-ninh',
        name: 'Tỉnh Quảng Ninh',
        level: 'province',
        timeZone: 'Asia/Ho_Chi_Minh',
        dueSoonDays: 3,
        reporting: { dueDay: { half: 25 } },
        status: 'active',
        identityProvider: null,
      },
      expect.objectContaining({ dueSoonDays: 3, status: 'suspended' }),
      expect.objectContaining({ dueSoonDays: 5, status: 'suspended' }),
      expect.objectContaining({ dueSoonDays: 5, status: 'active' }),
      // Merged: refused like a suspended city; the message names where it went.
      expect.objectContaining({ dueSoonDays: 5, status: 'suspended' }),
    ]);
    expect(messages[4].event.data).toMatchObject({ into: 'hai-phong', reason: 'Sắp xếp đơn vị hành chính' });
    expect(messages[2].event.data).toMatchObject({
      changed: ['dueSoonDays'],
      reason: 'Văn phòng đề nghị',
      actor: { userId: 'op-1', role: 'operator', agencyId: null },
    });
  });

  it.each([...cases, ...cityCases])('maps $name to a valid $type CloudEvent on $topic, keyed by the stream', ({ record, type, topic }) => {
    const r = record();
    const message = map(r);
    expect(validateCloudEvent(message.event)).toEqual({ valid: true, errors: [] });
    expect(message.event.type).toBe(type);
    expect(message.topic).toBe(topic);
    expect(message.topic).toBe(CONTRACT_TOPICS[type as keyof typeof CONTRACT_TOPICS]);
    expect(message.key).toBe(r.streamId);
  });

  it.each(cases)('fills the $name envelope from the stored event', ({ record }) => {
    const r = record();
    expect(map(r).event).toEqual({
      specversion: '1.0',
      id: EVENT_ID,
      type: expect.any(String),
      source: '/mandate/ha-noi/plans',
      subject: r.streamId,
      time: '2021-09-01T02:00:00.000Z',
      datacontenttype: 'application/json',
      cityid: 'ha-noi',
      correlationid: 'corr-183',
      sequence: r.streamVersion.toString(),
      data: expect.any(Object),
    });
  });

  it.each([...cases, ...cityCases])('encodes $name as Kafka headers that satisfy the header schema', ({ record }) => {
    const r = record();
    const encoded = encodeCloudEvent(map(r));
    expect([validateHeaders(encoded.headers), validateHeaders.errors ?? null]).toEqual([true, null]);
    expect(encoded.key).toBe(r.streamId);
    expect(JSON.parse(String(encoded.value))).toEqual(map(r).event.data);
  });

  it('takes the tenant, the sequence and the time from the stored event, not from the data', () => {
    const r = stored(TASK_STREAM, 12345678901234n, assigned(), {
      metadata: { ...stored(TASK_STREAM, 1n, assigned()).metadata, cityId: 'hai-phong', occurredAt: '2024-02-29T16:59:59.999Z' },
    });
    const { event } = map(r);
    expect(event).toMatchObject({ cityid: 'hai-phong', source: '/mandate/hai-phong/plans', sequence: '12345678901234', time: '2024-02-29T16:59:59.999Z' });
    expect(validateCloudEvent(event).valid).toBe(true);
  });

  it('returns null for an event with no contract', () => {
    const r = stored(TASK_STREAM, 1n, issued(), { type: 'TaskNoted' });
    expect(toOutgoingMessage(r)).toBeNull();
  });
});

describe('contract data, field by field', () => {
  it('PlanIssued -> vn.mandate.plan.issued.v2', () => {
    expect(map(stored(PLAN_STREAM, 1n, planIssued())).event.data).toStrictEqual({
      planId: PLAN_ID,
      number: '183/KH-UBND',
      kind: 'plan',
      title: 'Triển khai thực hiện Nghị quyết số 50/NQ-CP',
      issuedOn: '2021-08-10',
      issuer: 'UBND thành phố Hà Nội',
      taskCount: 1,
      taskIds: [TASK_ID],
    });
  });

  it('a plan without number or date (a copy before signing) -> plan.issued.v2 and task.issued.v3 with nulls; its signed version -> plan.numbered.v1', () => {
    const issuedBlank = map(stored(PLAN_STREAM, 1n, planIssued(byOffice, blank))).event;
    expect(issuedBlank.data).toMatchObject({ planId: PLAN_ID, number: null, issuedOn: null });
    expect(validateCloudEvent(issuedBlank)).toEqual({ valid: true, errors: [] });
    const task = map(stored(TASK_STREAM, 1n, { ...issued(), data: { ...issued().data, planNumber: null } })).event;
    expect(task.data).toMatchObject({ planNumber: null });
    expect(validateCloudEvent(task)).toEqual({ valid: true, errors: [] });
    expect(map(stored(PLAN_STREAM, 2n, planNumbered())).event.data).toStrictEqual({
      planId: PLAN_ID,
      number: '183/KH-UBND',
      issuedOn: '2021-08-10',
      numberedAt: '2021-09-01T02:00:00.000Z',
    });
  });

  it('TaskIssued -> vn.mandate.task.issued.v3 (group, deliverable, supervisor, note and issuedAt; deadline without start/recurrence)', () => {
    expect(map(stored(TASK_STREAM, 1n, issued())).event.data).toStrictEqual({
      taskId: TASK_ID,
      planId: PLAN_ID,
      planNumber: '183/KH-UBND',
      ref: 'PL2.I.1',
      title: 'Xây dựng, trình Quốc hội thông qua Luật Thủ đô sửa đổi.',
      group: 'I. Cơ chế, chính sách tổng hợp',
      deliverable: null,
      deadline: { text: 'Tháng 9/2021', kind: 'month', due: '2021-09-30' },
      supervisor: 'PCT TT Lê Hồng Sơn',
      note: null,
      status: 'not_started',
      issuedAt: '2021-09-01T02:00:00.000Z',
    });
  });

  it('TaskIssued -> vn.mandate.task.issued.v3 carries every field the document states, and their absence as null', () => {
    const stated = { group: 'II. Hoàn thiện thể chế', deliverable: 'Luật Thủ đô (sửa đổi)', supervisor: 'PCT Dương Đức Tuấn', note: 'Phối hợp Bộ Tư pháp' };
    const none = { group: null, deliverable: null, supervisor: null, note: null };
    for (const fields of [stated, none]) {
      const { event } = map(stored(TASK_STREAM, 1n, issued(taskDraft(fields))));
      expect(event.data).toMatchObject(fields);
      expect(validateCloudEvent(event)).toEqual({ valid: true, errors: [] });
    }
  });

  it('TaskAssigned -> vn.mandate.task.assigned.v2 (agency refs without their source text)', () => {
    expect(map(stored(TASK_STREAM, 2n, assigned())).event.data).toStrictEqual({
      taskId: TASK_ID,
      planId: PLAN_ID,
      lead: { agencyId: 'so-tu-phap', name: 'Sở Tư pháp', resolution: 'resolved' },
      coordinators: [{ agencyId: null, name: 'các Sở, Ban, ngành', resolution: 'group' }],
      previousLeadAgencyId: null,
      reason: null,
      succession: null,
    });
  });

  it('TaskAssigned of a hand-over carries the reason and the merger it carries out', () => {
    const event = assigned(finance, [], 'so-ke-hoach-dau-tu');
    const handOver = {
      ...event,
      data: { ...event.data, reason: 'Sáp nhập', succession: { predecessorIds: ['so-ke-hoach-dau-tu'], effectiveOn: '2025-03-01' } },
    };
    const mapped = map(stored(TASK_STREAM, 3n, handOver)).event;
    expect(mapped.data).toMatchObject({ reason: 'Sáp nhập', succession: { predecessorAgencyIds: ['so-ke-hoach-dau-tu'], effectiveOn: '2025-03-01' } });
    expect(validateCloudEvent(mapped)).toEqual({ valid: true, errors: [] });
  });

  it('TaskAssigned on reassignment carries the previous lead', () => {
    const data = map(stored(TASK_STREAM, 4n, assigned(finance, [justice, allDepartments], 'so-tu-phap'))).event.data;
    expect(data).toStrictEqual({
      taskId: TASK_ID,
      planId: PLAN_ID,
      lead: { agencyId: 'so-tai-chinh', name: 'Sở Tài chính', resolution: 'resolved' },
      coordinators: [
        { agencyId: 'so-tu-phap', name: 'Sở Tư pháp', resolution: 'resolved' },
        { agencyId: null, name: 'các Sở, Ban, ngành', resolution: 'group' },
      ],
      previousLeadAgencyId: 'so-tu-phap',
      reason: null,
      succession: null,
    });
  });

  it('TaskStatusChanged -> vn.mandate.task.status-changed.v2 (actor from the event metadata)', () => {
    const { event } = map(stored(TASK_STREAM, 3n, statusChanged('submitted', 'completed', byPlanning, 'Đã nghiệm thu')));
    expect(event.type).toBe(TASK_STATUS_CHANGED_V2);
    expect(event.data).toStrictEqual({
      taskId: TASK_ID,
      planId: PLAN_ID,
      from: 'submitted',
      to: 'completed',
      note: 'Đã nghiệm thu',
      changedAt: '2021-09-01T02:00:00.000Z',
      actor: { userId: 'u-planning', role: 'planning', agencyId: 'so-ke-hoach-dau-tu' },
    });
  });

  it.each([
    ['a return', 'submitted', 'returned', byOffice, 'Chưa đủ hồ sơ, đề nghị bổ sung'],
    ['a refusal by the lead agency', 'not_started', 'declined', officerOf(justice), 'Không thuộc chức năng, nhiệm vụ của Sở'],
    ['insisting on a declined task', 'declined', 'not_started', byOffice, 'Giữ nguyên giao Sở Tư pháp chủ trì'],
    ['a pause', 'in_progress', 'paused', byOffice, 'Chờ Nghị quyết của Quốc hội'],
    ['a resumption', 'paused', 'in_progress', byOffice, ''],
    ['a cancellation', 'paused', 'cancelled', byOffice, 'Không còn phù hợp'],
  ] as const)('TaskStatusChanged of %s carries the new codes and the note, as v2 only', (_, from, to, metadata, note) => {
    const { event } = map(stored(TASK_STREAM, 4n, statusChanged(from, to, metadata, note)));
    expect(event.type).toBe(TASK_STATUS_CHANGED_V2);
    expect(event.data).toMatchObject({ from, to, note, actor: { userId: metadata.actorId, role: metadata.role, agencyId: metadata.agencyId } });
    expect(validateCloudEvent(event)).toEqual({ valid: true, errors: [] });
    expect(validateContract({ type: TASK_STATUS_CHANGED_V1, data: event.data }).valid).toBe(false);
  });

  it('PlanAmended -> vn.mandate.plan.amended.v2 (task ids by what happened to them; no refs, no document metadata)', () => {
    expect(map(stored(PLAN_STREAM, 2n, planAmended())).event.data).toStrictEqual({
      planId: PLAN_ID,
      number: '183/KH-UBND',
      title: 'Triển khai thực hiện Nghị quyết số 50/NQ-CP (sửa đổi, bổ sung)',
      addedTaskIds: [TASK_ID_3],
      revisedTaskIds: [TASK_ID],
      withdrawnTaskIds: [TASK_ID_2],
      amendedAt: '2021-09-01T02:00:00.000Z',
    });
  });

  it('PlanIndicatorsSet -> vn.mandate.plan.indicators-set.v1 (every indicator; a range, a number, text only; a lead or none)', () => {
    const { event } = map(stored(PLAN_STREAM, 2n, planIndicatorsSet()));
    expect(event.data).toStrictEqual({
      planId: PLAN_ID,
      indicators: [
        {
          ref: 'PL1.1',
          group: 'A. Chỉ tiêu kinh tế',
          name: 'Tốc độ tăng trưởng GRDP bình quân',
          unit: '%',
          targets: [
            { horizon: 2025, text: '7,5-8,0', min: 7.5, max: 8 },
            { horizon: 2030, text: 'đạt 8,5', value: 8.5 },
          ],
          lead: { agencyId: 'so-ke-hoach-dau-tu', name: 'Sở Kế hoạch và Đầu tư' },
        },
        { ref: 'PL1.2', group: null, name: 'Tỷ lệ hộ nghèo', unit: null, targets: [{ horizon: null, text: 'Cơ bản không còn hộ nghèo' }], lead: null },
      ],
      setAt: '2021-09-01T02:00:00.000Z',
    });
    expect(validateCloudEvent(event)).toEqual({ valid: true, errors: [] });
  });

  it('a plan issued with indicators publishes vn.mandate.plan.issued.v2 then vn.mandate.plan.indicators-set.v1; one without, no indicators message', () => {
    const messages = issueWithIndicators().map((e, i) => map(stored(PLAN_STREAM, BigInt(1 + i), e)));
    expect(messages.map((m) => [m.event.type, m.topic, m.key])).toEqual([
      [PLAN_ISSUED_V2, PLANS_TOPIC, PLAN_STREAM],
      [PLAN_INDICATORS_SET_V1, PLANS_TOPIC, PLAN_STREAM],
    ]);
    for (const m of messages) expect(validateCloudEvent(m.event)).toEqual({ valid: true, errors: [] });
    expect(issueWithIndicators([]).map((e) => e.type)).toEqual(['PlanIssued']);
  });

  it('an amendment that drops every indicator publishes the empty set', () => {
    const issue = issuePlan();
    const plan = issueWithIndicators().reduce(evolvePlan, initialPlanState());
    const events = decidePlan(
      {
        type: 'AmendPlan',
        data: { planId: PLAN_ID, draft: { ...issue.data.draft, indicators: [] }, tasks: issue.data.tasks, revised: [] },
        metadata: byOffice,
      },
      plan,
    );
    expect(events.map((e) => e.type)).toEqual(['PlanIndicatorsSet']);
    const { event } = map(stored(PLAN_STREAM, 3n, events[0]));
    expect(event.type).toBe(PLAN_INDICATORS_SET_V1);
    expect(event.data).toStrictEqual({ planId: PLAN_ID, indicators: [], setAt: '2021-09-01T02:00:00.000Z' });
    expect(validateCloudEvent(event)).toEqual({ valid: true, errors: [] });
  });

  it('PlanIndicatorsSet keeps an indicator or target field the contract does not know inside the service', () => {
    const event = planIndicatorsSet();
    const [first, ...rest] = event.data.indicators;
    const indicators = [{ ...first, source: 'row 12', targets: first.targets.map((t) => ({ ...t, confidence: 0.9 })) }, ...rest];
    const { event: message } = map(stored(PLAN_STREAM, 2n, event, { data: { ...event.data, indicators } as unknown as Record<string, unknown> }));
    expect(message.data).toStrictEqual(map(stored(PLAN_STREAM, 2n, event)).event.data);
    expect(validateCloudEvent(message)).toEqual({ valid: true, errors: [] });
  });

  it('TaskRevised -> vn.mandate.task.revised.v1 (only the changed fields; deadline without start/recurrence; null kept)', () => {
    const event = taskRevised({ title: 'Xây dựng Luật Thủ đô sửa đổi.', deadline: quarterDeadline, group: null, deliverable: 'Luật Thủ đô (sửa đổi)' });
    expect(Object.keys(event.data.changes).sort()).toEqual(['deadline', 'deliverable', 'group', 'title']);
    expect(map(stored(TASK_STREAM, 3n, event)).event.data).toStrictEqual({
      taskId: TASK_ID,
      planId: PLAN_ID,
      changes: {
        title: 'Xây dựng Luật Thủ đô sửa đổi.',
        deadline: { text: 'Quý IV/2021', kind: 'quarter', due: '2021-12-31' },
        group: null,
        deliverable: 'Luật Thủ đô (sửa đổi)',
      },
      revisedAt: '2021-09-01T02:00:00.000Z',
    });
  });

  it.each([
    ['ref', { ref: 'PL2.I.2' }],
    ['title', { title: 'Xây dựng Luật Thủ đô sửa đổi.' }],
    ['deadline', { deadline: quarterDeadline }],
    ['deliverable', { deliverable: 'Luật Thủ đô (sửa đổi)' }],
    ['note', { note: 'Phối hợp Bộ Tư pháp' }],
    ['supervisor', { supervisor: null }],
    ['group', { group: 'II. Quy hoạch' }],
  ] as const)('TaskRevised of %s alone carries only %s', (field, overrides) => {
    const { changes } = map(stored(TASK_STREAM, 3n, taskRevised(overrides))).event.data as { changes: Record<string, unknown> };
    expect(Object.keys(changes)).toEqual([field]);
  });

  it('TaskRevised keeps a revised field the contract does not know inside the service', () => {
    const event = taskRevised({ note: 'Phối hợp Bộ Tư pháp' });
    const r = stored(TASK_STREAM, 3n, event, { data: { ...event.data, changes: { ...event.data.changes, priority: 'high' } } });
    expect(Object.keys((map(r).event.data as { changes: object }).changes)).toEqual(['note']);
    expect(validateCloudEvent(map(r).event)).toEqual({ valid: true, errors: [] });
  });

  it('publishes nothing for a revision of only what the contract does not carry (an empty change is no contract)', () => {
    const event = taskRevised({ note: 'Phối hợp Bộ Tư pháp' });
    expect(toOutgoingMessage(stored(TASK_STREAM, 3n, event, { data: { ...event.data, changes: { priority: 'high' } } }))).toBeNull();
  });

  it('a revision that also changes the lead publishes vn.mandate.task.revised.v1 then vn.mandate.task.assigned.v1', () => {
    const events = revise({ title: 'Xây dựng Luật Thủ đô sửa đổi.', lead: finance, coordinators: [justice] });
    const messages = events.map((e, i) => map(stored(TASK_STREAM, BigInt(3 + i), e)));
    expect(messages.map((m) => m.event.type)).toEqual([TASK_REVISED_V1, TASK_ASSIGNED_V2]);
    for (const m of messages) expect(validateCloudEvent(m.event)).toEqual({ valid: true, errors: [] });
    expect(messages[1].event.data).toMatchObject({ lead: { agencyId: 'so-tai-chinh' }, previousLeadAgencyId: 'so-tu-phap' });
  });

  it('TaskWithdrawn -> vn.mandate.task.withdrawn.v1', () => {
    expect(map(stored(TASK_STREAM, 3n, taskWithdrawn())).event.data).toStrictEqual({
      taskId: TASK_ID,
      planId: PLAN_ID,
      reason: REASON,
      withdrawnAt: '2021-09-01T02:00:00.000Z',
    });
  });

  it('ProgressReported -> vn.mandate.task.progress-reported.v1 (actor from the event metadata)', () => {
    expect(map(stored(TASK_STREAM, 3n, progressReported())).event.data).toStrictEqual({
      taskId: TASK_ID,
      planId: PLAN_ID,
      percent: 60,
      text: 'Đã trình dự thảo lên Bộ Tư pháp.',
      attachments: [{ name: 'du-thao-luat-thu-do.pdf', contentType: 'application/pdf', size: 482113, url: null }],
      reportedAt: '2021-09-01T02:00:00.000Z',
      actor: { userId: 'u-so-tu-phap', role: 'agency', agencyId: 'so-tu-phap' },
    });
  });

  it('ProgressReported keeps an attachment field the contract does not know inside the service', () => {
    const event = progressReported();
    const attachments = [{ ...ATTACHMENT, url: 'https://docs.mandate.invalid/a/1', sha256: 'b'.repeat(64) }];
    const { event: message } = map(stored(TASK_STREAM, 3n, event, { data: { ...event.data, attachments } }));
    expect((message.data as { attachments: unknown[] }).attachments).toStrictEqual([{ ...ATTACHMENT, url: 'https://docs.mandate.invalid/a/1' }]);
    expect(validateCloudEvent(message)).toEqual({ valid: true, errors: [] });
  });

  it('ProgressReported by a coordinating agency or recorded by the city office names who reported', () => {
    const coordinated = [issued(), assigned(justice, [finance, allDepartments])].reduce(evolveTask, initialTaskState());
    const byCoordinator = map(stored(TASK_STREAM, 3n, progressReported(officerOf(finance), coordinated))).event;
    expect(byCoordinator.data).toMatchObject({ actor: { userId: 'u-so-tai-chinh', role: 'agency', agencyId: 'so-tai-chinh' } });
    const recorded = map(stored(TASK_STREAM, 3n, progressReported(byOffice))).event;
    expect(recorded.data).toMatchObject({ actor: { userId: 'u-office', role: 'office', agencyId: 'van-phong-ubnd' } });
    for (const event of [byCoordinator, recorded]) expect(validateCloudEvent(event)).toEqual({ valid: true, errors: [] });
  });

  it('ExtensionRequested -> vn.mandate.task.extension-requested.v1', () => {
    expect(map(stored(TASK_STREAM, 3n, extensionRequested())).event.data).toStrictEqual({
      taskId: TASK_ID,
      planId: PLAN_ID,
      requestId: REQUEST_ID,
      until: '2021-12-31',
      reason: 'Chờ ý kiến thẩm định của Bộ Tư pháp.',
      requestedAt: '2021-09-01T02:00:00.000Z',
      actor: { userId: 'u-so-tu-phap', role: 'agency', agencyId: 'so-tu-phap' },
    });
  });

  it('ExtensionApproved -> vn.mandate.task.extension-approved.v1 (previous due date only; deadline without start/recurrence)', () => {
    const event = extensionApproved();
    expect(event.data.previousDeadline).toEqual(deadline());
    expect(map(stored(TASK_STREAM, 4n, event)).event.data).toStrictEqual({
      taskId: TASK_ID,
      planId: PLAN_ID,
      requestId: REQUEST_ID,
      previousDue: '2021-09-30',
      deadline: { text: 'Gia hạn đến ngày 31/12/2021', kind: 'date', due: '2021-12-31' },
      note: 'Đồng ý.',
      approvedAt: '2021-09-01T02:00:00.000Z',
      actor: { userId: 'u-office', role: 'office', agencyId: 'van-phong-ubnd' },
    });
  });

  it('ExtensionApproved of a task that had no due date carries previousDue null', () => {
    const undated = [issued(taskDraft({ deadline: deadline('', null) })), assigned()].reduce(evolveTask, initialTaskState());
    const message = map(stored(TASK_STREAM, 4n, extensionApproved(byPlanning, requestedTask(undated)))).event;
    expect(message.data).toMatchObject({
      previousDue: null,
      deadline: { kind: 'date', due: '2021-12-31' },
      actor: { userId: 'u-planning', role: 'planning', agencyId: 'so-ke-hoach-dau-tu' },
    });
    expect(validateCloudEvent(message)).toEqual({ valid: true, errors: [] });
  });

  it('ExtensionRejected -> vn.mandate.task.extension-rejected.v1', () => {
    expect(map(stored(TASK_STREAM, 4n, extensionRejected())).event.data).toStrictEqual({
      taskId: TASK_ID,
      planId: PLAN_ID,
      requestId: REQUEST_ID,
      reason: 'Nhiệm vụ trọng tâm, không gia hạn.',
      rejectedAt: '2021-09-01T02:00:00.000Z',
      actor: { userId: 'u-planning', role: 'planning', agencyId: 'so-ke-hoach-dau-tu' },
    });
  });

  it('a request, a refusal, a second request and its approval publish four messages tied by their requestIds', () => {
    const events: TaskEvent[] = [];
    let state = issuedTask();
    const apply = (e: TaskEvent) => {
      events.push(e);
      state = evolveTask(state, e);
    };
    apply(extensionRequested(state));
    apply(extensionRejected(byOffice, state));
    apply(extensionRequested(state, 'gh-2021-002'));
    apply(
      decided('ExtensionApproved', { type: 'ApproveExtension', data: { taskId: TASK_ID, requestId: 'gh-2021-002', note: '' }, metadata: byPlanning }, state),
    );
    const messages = events.map((e, i) => map(stored(TASK_STREAM, BigInt(3 + i), e)));
    expect(messages.map((m) => [m.event.type, (m.event.data as { requestId: string }).requestId, m.event.sequence])).toEqual([
      [TASK_EXTENSION_REQUESTED_V1, REQUEST_ID, '3'],
      [TASK_EXTENSION_REJECTED_V1, REQUEST_ID, '4'],
      [TASK_EXTENSION_REQUESTED_V1, 'gh-2021-002', '5'],
      [TASK_EXTENSION_APPROVED_V1, 'gh-2021-002', '6'],
    ]);
    for (const m of messages) expect(validateCloudEvent(m.event)).toEqual({ valid: true, errors: [] });
  });
});

describe('time as events, occurrences and links, field by field', () => {
  it("TaskBecameDueSoon -> vn.mandate.task.due-soon.v1 (the due date and the scheduler's instant)", () => {
    expect(map(stored(TASK_STREAM, 3n, becameDueSoon())).event.data).toStrictEqual({ taskId: TASK_ID, planId: PLAN_ID, due: '2021-09-30', at: DUE_SOON_AT });
  });

  it('TaskBecameOverdue -> vn.mandate.task.overdue.v1', () => {
    expect(map(stored(TASK_STREAM, 4n, becameOverdue())).event.data).toStrictEqual({ taskId: TASK_ID, planId: PLAN_ID, due: '2021-09-30', at: OVERDUE_AT });
  });

  it('a task marked due soon, then overdue, then extended and overdue again publishes one message per mark and due date', () => {
    const events: TaskEvent[] = [];
    let state = issuedTask();
    const apply = (e: TaskEvent) => {
      events.push(e);
      state = evolveTask(state, e);
    };
    apply(becameDueSoon(DUE_SOON_AT, state));
    expect(
      decideTask({ type: 'MarkDeadline', data: { taskId: TASK_ID, mark: 'due_soon' }, metadata: bySchedulerAt('2021-09-29T01:00:00.000Z') }, state),
    ).toEqual([]);
    apply(becameOverdue(OVERDUE_AT, state));
    expect(
      decideTask({ type: 'MarkDeadline', data: { taskId: TASK_ID, mark: 'overdue' }, metadata: bySchedulerAt('2021-10-05T00:00:00.000Z') }, state),
    ).toEqual([]);
    apply(extensionRequested(state));
    apply(extensionApproved(byOffice, state));
    apply(becameOverdue('2022-01-01T00:00:00.000Z', state));
    const messages = events.map((e, i) => map(stored(TASK_STREAM, BigInt(3 + i), e)));
    expect(messages.map((m) => [m.event.type, (m.event.data as { due?: string }).due ?? null])).toEqual([
      [TASK_DUE_SOON_V1, '2021-09-30'],
      [TASK_OVERDUE_V1, '2021-09-30'],
      [TASK_EXTENSION_REQUESTED_V1, null],
      [TASK_EXTENSION_APPROVED_V1, null],
      [TASK_OVERDUE_V1, '2021-12-31'],
    ]);
    for (const m of messages) expect(validateCloudEvent(m.event)).toEqual({ valid: true, errors: [] });
  });

  it('a city window of its own (dueSoonDays) marks earlier, and the message is the same shape', () => {
    const iso = '2021-09-20T01:00:00.000Z';
    const metadata = bySchedulerAt(iso);
    expect(decideTask({ type: 'MarkDeadline', data: { taskId: TASK_ID, mark: 'due_soon' }, metadata }, issuedTask())).toEqual([]);
    const event = decided('TaskBecameDueSoon', { type: 'MarkDeadline', data: { taskId: TASK_ID, mark: 'due_soon', dueSoonDays: 14 }, metadata }, issuedTask());
    const { event: message } = map(stored(TASK_STREAM, 3n, event));
    expect(message.data).toStrictEqual({ taskId: TASK_ID, planId: PLAN_ID, due: '2021-09-30', at: iso });
    expect(validateCloudEvent(message)).toEqual({ valid: true, errors: [] });
  });

  it('TaskOccurrenceOpened -> vn.mandate.task.occurrence-opened.v1 (a report of a recurring deadline)', () => {
    expect(map(stored(TASK_STREAM, 3n, occurrenceOpened())).event.data).toStrictEqual({
      taskId: TASK_ID,
      planId: PLAN_ID,
      occurrence: 1,
      periodStart: '2021-07-01',
      due: '2021-09-30',
      kind: 'report',
      openedAt: '2021-09-01T02:00:00.000Z',
    });
  });

  it('TaskOccurrenceOpened of a continuous duty is a check-in', () => {
    const { event } = map(stored(TASK_STREAM, 3n, occurrenceOpened(continuousTask())));
    expect(event.data).toMatchObject({ occurrence: 1, periodStart: '2021-07-01', due: '2021-09-30', kind: 'check-in' });
    expect(validateCloudEvent(event)).toEqual({ valid: true, errors: [] });
  });

  it.each([
    ['monthly', 'recurring', 'monthly', 16],
    ['quarterly', 'recurring', 'quarterly', 6],
    ['half-yearly', 'recurring', 'half_yearly', 3],
    ['yearly', 'recurring', 'yearly', 2],
    // Weeks from Monday 30 August 2021 (the task's) to the one of Thursday 15 December 2022, each due on its Friday.
    ['weekly', 'recurring', 'weekly', 68],
    ['continuous', 'continuous', null, 6],
  ] as const)('occurrences of a %s duty caught up after downtime publish one valid message each, in order', (_, kind, recurrence, count) => {
    const events = openOccurrences('2022-12-15T00:00:00.000Z', repeating({ text: 'x', kind, recurrence }));
    const messages = events.map((e, i) => map(stored(TASK_STREAM, BigInt(3 + i), e)).event);
    expect(messages).toHaveLength(count);
    for (const m of messages) expect(validateCloudEvent(m)).toEqual({ valid: true, errors: [] });
    expect(messages.map((m) => (m.data as { occurrence: number }).occurrence)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    expect(messages.map((m) => m.type)).toEqual(Array(count).fill(TASK_OCCURRENCE_OPENED_V1));
  });

  it('TaskLinkedToParent -> vn.mandate.task.linked.v1', () => {
    expect(map(stored(TASK_STREAM, 3n, linkedToParent())).event.data).toStrictEqual({
      taskId: TASK_ID,
      planId: PLAN_ID,
      parentTaskId: TASK_ID_2,
      linkedAt: '2021-09-01T02:00:00.000Z',
    });
  });

  it('a task relinked to another parent publishes a second vn.mandate.task.linked.v1; the same link again publishes nothing', () => {
    const first = linkedToParent();
    const state = evolveTask(issuedTask(), first);
    expect(decideTask({ type: 'LinkTask', data: { taskId: TASK_ID, parentTaskId: TASK_ID_2 }, metadata: byOffice }, state)).toEqual([]);
    const second = decided('TaskLinkedToParent', { type: 'LinkTask', data: { taskId: TASK_ID, parentTaskId: TASK_ID_3 }, metadata: byOffice }, state);
    const messages = [first, second].map((e, i) => map(stored(TASK_STREAM, BigInt(3 + i), e)).event);
    expect(messages.map((m) => (m.data as { parentTaskId: string }).parentTaskId)).toEqual([TASK_ID_2, TASK_ID_3]);
    for (const m of messages) expect(validateCloudEvent(m)).toEqual({ valid: true, errors: [] });
  });
});

describe('the schemas accept everything the domain can say', () => {
  it('knows every DEADLINE_KIND and every TASK_STATUS of the domain', () => {
    expect(contractSchemas[TASK_ISSUED_V3].$defs.deadline.properties.kind.enum).toEqual([...DEADLINE_KINDS]);
    expect(contractSchemas[TASK_REVISED_V1].$defs.deadline.properties.kind.enum).toEqual([...DEADLINE_KINDS]);
    expect(contractSchemas[TASK_EXTENSION_APPROVED_V1].$defs.deadline.properties.kind.enum).toEqual([...DEADLINE_KINDS]);
    expect(contractSchemas[TASK_STATUS_CHANGED_V2].$defs.status.enum).toEqual([...TASK_STATUSES]);
    expect([...TASK_STATUS_CODES_V2]).toEqual([...TASK_STATUSES]);
  });

  it('renames the v1 codes as the domain renamed its statuses', () => {
    for (const code of TASK_STATUS_CODES) expect([code, TASK_STATUS_V1_TO_V2[code]]).toEqual([code, RENAMED_STATUSES[code] ?? code]);
    for (const old of Object.keys(RENAMED_STATUSES)) expect(TASK_STATUS_CODES).toContain(old);
  });

  it.each(DEADLINE_KINDS.map((k) => [k]))('a %s deadline', (kind: DeadlineKind) => {
    const spec = { ...deadline('x', ['recurring', 'continuous', 'unspecified'].includes(kind) ? null : '2025-12-31'), kind };
    const message = map(stored(TASK_STREAM, 1n, issued(taskDraft({ deadline: spec }))));
    expect(validateCloudEvent(message.event)).toEqual({ valid: true, errors: [] });
    const revisedTo = map(stored(TASK_STREAM, 3n, taskRevised({ deadline: { ...spec, text: `${spec.text} (sửa đổi)` } })));
    expect(revisedTo.event.type).toBe(TASK_REVISED_V1);
    expect(validateCloudEvent(revisedTo.event)).toEqual({ valid: true, errors: [] });
  });

  it.each(DEADLINE_KINDS.map((k) => [k]))('an extension of a task with a %s deadline, requested and approved', (kind: DeadlineKind) => {
    const spec: DeadlineSpec = { ...deadline('x', ['recurring', 'continuous', 'unspecified'].includes(kind) ? null : '2021-09-30'), kind };
    const task = [issued(taskDraft({ deadline: spec })), assigned()].reduce(evolveTask, initialTaskState());
    const requested = extensionRequested(task);
    const approved = extensionApproved(byOffice, evolveTask(task, requested));
    for (const [i, e] of [requested, approved].entries()) {
      expect(validateCloudEvent(map(stored(TASK_STREAM, BigInt(3 + i), e)).event)).toEqual({ valid: true, errors: [] });
    }
    expect(map(stored(TASK_STREAM, 4n, approved)).event.data).toMatchObject({ previousDue: spec.due });
  });

  it('every progress report and extension decision the decider allows, by every role, in every status', () => {
    const roles = [byOffice, byPlanning, officerOf(justice), officerOf(finance), officerOf(justice, 'planning')];
    const coordinated = [issued(), assigned(justice, [finance, allDepartments])].reduce(evolveTask, initialTaskState());
    const seen = new Map<string, number>();
    for (const status of TASK_STATUSES) {
      const task = { ...(coordinated as Extract<Task, { taskId: string }>), status };
      const requestedOf = (): Task => {
        try {
          return evolveTask(task, extensionRequested(task));
        } catch {
          return task; // a closed task takes no request; the decisions below then find none
        }
      };
      for (const metadata of roles) {
        const commands: [TaskCommand, Task][] = [
          [{ type: 'ReportProgress', data: { taskId: TASK_ID, percent: 0, text: 'Bắt đầu.', attachments: [] }, metadata }, task],
          [
            { type: 'ReportProgress', data: { taskId: TASK_ID, percent: 100, text: 'Xong.', attachments: [ATTACHMENT, { ...ATTACHMENT, size: 0 }] }, metadata },
            task,
          ],
          [{ type: 'RequestExtension', data: { taskId: TASK_ID, requestId: REQUEST_ID, until: '2022-03-31', reason: 'Chưa đủ thời gian.' }, metadata }, task],
          [{ type: 'ApproveExtension', data: { taskId: TASK_ID, requestId: REQUEST_ID, note: '' }, metadata }, requestedOf()],
          [{ type: 'RejectExtension', data: { taskId: TASK_ID, requestId: REQUEST_ID, reason: 'Không gia hạn.' }, metadata }, requestedOf()],
        ];
        for (const [command, state] of commands) {
          let events: TaskEvent[];
          try {
            events = decideTask(command, state);
          } catch {
            continue;
          }
          for (const e of events) {
            const { event } = map(stored(TASK_STREAM, 5n, e));
            expect([e.type, status, metadata.actorId, validateCloudEvent(event)]).toEqual([e.type, status, metadata.actorId, { valid: true, errors: [] }]);
            expect(event.data).toMatchObject({ actor: { userId: metadata.actorId, role: metadata.role, agencyId: metadata.agencyId } });
            seen.set(event.type, (seen.get(event.type) ?? 0) + 1);
          }
        }
      }
    }
    expect(Object.fromEntries(seen)).toEqual({
      [TASK_PROGRESS_REPORTED_V1]: expect.any(Number),
      [TASK_EXTENSION_REQUESTED_V1]: expect.any(Number),
      [TASK_EXTENSION_APPROVED_V1]: expect.any(Number),
      [TASK_EXTENSION_REJECTED_V1]: expect.any(Number),
    });
  });

  it('every deadline mark and opened occurrence the decider allows, for every deadline kind, in every status', () => {
    const seen = new Map<string, number>();
    for (const kind of DEADLINE_KINDS) {
      const spec: DeadlineSpec = { ...deadline('x', ['recurring', 'continuous', 'unspecified'].includes(kind) ? null : '2021-09-30'), kind };
      const task = [issued(taskDraft({ deadline: spec })), assigned()].reduce(evolveTask, initialTaskState());
      for (const status of TASK_STATUSES) {
        const state = { ...(task as Extract<Task, { taskId: string }>), status };
        for (const iso of [DUE_SOON_AT, OVERDUE_AT, '2022-06-01T00:00:00.000Z']) {
          const commands: TaskCommand[] = [
            { type: 'MarkDeadline', data: { taskId: TASK_ID, mark: 'due_soon' }, metadata: bySchedulerAt(iso) },
            { type: 'MarkDeadline', data: { taskId: TASK_ID, mark: 'overdue' }, metadata: bySchedulerAt(iso) },
            { type: 'OpenOccurrences', data: { taskId: TASK_ID }, metadata: bySchedulerAt(iso) },
          ];
          for (const command of commands) {
            for (const e of decideTask(command, state)) {
              const { event } = map(stored(TASK_STREAM, 5n, e));
              expect([kind, status, iso, e.type, validateCloudEvent(event)]).toEqual([kind, status, iso, e.type, { valid: true, errors: [] }]);
              seen.set(event.type, (seen.get(event.type) ?? 0) + 1);
            }
          }
        }
      }
    }
    expect(Object.fromEntries(seen)).toEqual({
      [TASK_DUE_SOON_V1]: expect.any(Number),
      [TASK_OVERDUE_V1]: expect.any(Number),
      [TASK_OCCURRENCE_OPENED_V1]: expect.any(Number),
    });
  });

  it('every status transition the decider allows, by every role', () => {
    let checked = 0;
    for (const from of TASK_STATUSES) {
      for (const to of TASK_STATUSES) {
        for (const metadata of [byOffice, byPlanning, officerOf(justice)]) {
          let state = [issued(), assigned()].reduce(evolveTask, initialTaskState());
          if (from !== 'not_started') state = { ...(state as Extract<typeof state, { taskId: string }>), status: from };
          let events: TaskEvent[];
          try {
            events = decideTask({ type: 'ChangeTaskStatus', data: { taskId: TASK_ID, to, note: '' }, metadata }, state);
          } catch {
            continue;
          }
          for (const e of events) {
            expect(validateCloudEvent(map(stored(TASK_STREAM, 3n, e)).event)).toEqual({ valid: true, errors: [] });
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(5);
  });

  it('every move of TASK_TRANSITIONS, from each of its statuses, by each role it names, with a reason', () => {
    const seen = new Set<string>();
    for (const { from: froms, to, leadAgency, roles } of TASK_TRANSITIONS) {
      const actors = [...(leadAgency ? [officerOf(justice)] : []), ...roles.map((role) => (role === 'planning' ? byPlanning : { ...byOffice, role }))];
      for (const from of froms) {
        for (const metadata of actors) {
          let state = [issued(), assigned()].reduce(evolveTask, initialTaskState());
          state = { ...(state as Extract<typeof state, { taskId: string }>), status: from };
          const event = decided('TaskStatusChanged', { type: 'ChangeTaskStatus', data: { taskId: TASK_ID, to, note: 'Lý do.' }, metadata }, state);
          const { event: message } = map(stored(TASK_STREAM, 3n, event));
          expect([from, to, metadata.actorId, message.type, validateCloudEvent(message)]).toEqual([
            from,
            to,
            metadata.actorId,
            TASK_STATUS_CHANGED_V2,
            { valid: true, errors: [] },
          ]);
          expect(message.data).toMatchObject({ from, to, note: 'Lý do.' });
          seen.add(to);
        }
      }
    }
    expect([...seen].sort()).toEqual(TASK_STATUSES.filter((s) => TASK_TRANSITIONS.some((t) => t.to === s)).sort());
  });

  it('every event of every seed document, imported and decided as the seed does it', () => {
    const seeds = path.resolve(__dirname, '../../../../seeds');
    const manifest = JSON.parse(fs.readFileSync(path.join(seeds, 'manifest.json'), 'utf8')) as { file: string; cityId: string }[];
    const failures: string[] = [];
    const seen = new Set<string>();
    let checked = 0;
    for (const { file, cityId } of manifest) {
      const directory = JSON.parse(fs.readFileSync(path.join(seeds, 'agencies', `${cityId}.json`), 'utf8')) as Agency[];
      const draft = importPlan(fs.readFileSync(path.join(seeds, 'documents', file), 'utf8'), { document: file, cityId, directory });
      const metadata = { ...byOffice, actorId: 'system:seed', agencyId: null, cityId };
      const taskIds = draft.tasks.map((_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
      const { tasks, ...planDraft } = draft;
      const events: [string, PlanEvent | TaskEvent][] = [];
      tasks.forEach((task, i) => {
        const cmd = { type: 'IssueTask' as const, data: { taskId: taskIds[i], planId: PLAN_ID, planNumber: draft.number, draft: task }, metadata };
        for (const e of decideTask(cmd, initialTaskState())) events.push([taskStream(taskIds[i]), e]);
      });
      const planCmd = {
        type: 'IssuePlan' as const,
        data: { planId: PLAN_ID, draft: planDraft, tasks: tasks.map((t, i) => ({ taskId: taskIds[i], ref: t.ref })) },
        metadata,
      };
      for (const e of decidePlan(planCmd, initialPlanState())) events.push([PLAN_STREAM, e]);
      events.forEach(([streamId, e], i) => {
        const r = stored(streamId, BigInt(i + 1), e, { metadata: { ...stored(streamId, 1n, e).metadata, cityId, correlationId: `seed:${file}` } });
        const message = map(r);
        seen.add(message.event.type);
        const result = validateCloudEvent(message.event);
        checked++;
        if (!result.valid) failures.push(`${file} ${e.type}: ${result.errors.join('; ')}`);
      });
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(manifest.length * 2);
    expect([...seen]).toEqual(expect.arrayContaining([PLAN_ISSUED_V2, PLAN_INDICATORS_SET_V1, TASK_ISSUED_V3]));
  });

  it('every event of an amendment of every seed document: first task dropped, the others restated, one added', () => {
    const seeds = path.resolve(__dirname, '../../../../seeds');
    const manifest = JSON.parse(fs.readFileSync(path.join(seeds, 'manifest.json'), 'utf8')) as { file: string; cityId: string }[];
    const failures: string[] = [];
    const seen = new Set<string>();
    for (const { file, cityId } of manifest) {
      const directory = JSON.parse(fs.readFileSync(path.join(seeds, 'agencies', `${cityId}.json`), 'utf8')) as Agency[];
      const draft = importPlan(fs.readFileSync(path.join(seeds, 'documents', file), 'utf8'), { document: file, cityId, directory });
      if (draft.tasks.length < 2) continue;
      const metadata = { ...byOffice, actorId: 'system:seed', agencyId: null, cityId };
      const taskIds = draft.tasks.map((_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
      const { tasks, ...planDraft } = draft;
      const states = tasks.map((task, i) =>
        decideTask(
          { type: 'IssueTask', data: { taskId: taskIds[i], planId: PLAN_ID, planNumber: draft.number, draft: task }, metadata },
          initialTaskState(),
        ).reduce(evolveTask, initialTaskState()),
      );
      const refs = tasks.map((t, i) => ({ taskId: taskIds[i], ref: t.ref }));
      const plan = decidePlan({ type: 'IssuePlan', data: { planId: PLAN_ID, draft: planDraft, tasks: refs }, metadata }, initialPlanState()).reduce(
        evolvePlan,
        initialPlanState(),
      );
      const events: [string, PlanEvent | TaskEvent][] = [];
      const withdrawal = { type: 'WithdrawTask' as const, data: { taskId: taskIds[0], reason: `Not in the amended ${file}` }, metadata };
      for (const e of decideTask(withdrawal, states[0])) events.push([taskStream(taskIds[0]), e]);
      const revised: string[] = [];
      const kept: { taskId: string; ref: string }[] = [];
      for (let i = 1; i < tasks.length; i++) {
        // Each task restated as the next one reads (real titles, deadlines, nulls and leads); every third renumbered.
        const next = tasks[(i + 1) % tasks.length];
        const ref = i % 3 === 0 ? `${tasks[i].ref}-r` : tasks[i].ref;
        const restated = { ...next, ref, title: i % 2 ? next.title : `${tasks[i].title} (sửa đổi)` };
        const out = decideTask({ type: 'ReviseTask', data: { taskId: taskIds[i], draft: restated }, metadata }, states[i]);
        if (out.some((e) => e.type === 'TaskRevised')) revised.push(taskIds[i]);
        for (const e of out) events.push([taskStream(taskIds[i]), e]);
        kept.push({ taskId: taskIds[i], ref });
      }
      const added = { taskId: '00000000-0000-4000-8000-999999999999', ref: `${tasks[0].ref}-bis` };
      for (const e of decideTask(
        { type: 'IssueTask', data: { ...added, planId: PLAN_ID, planNumber: draft.number, draft: { ...tasks[0], ref: added.ref } }, metadata },
        initialTaskState(),
      )) {
        events.push([taskStream(added.taskId), e]);
      }
      const amend = { type: 'AmendPlan' as const, data: { planId: PLAN_ID, draft: planDraft, tasks: [...kept, added], revised }, metadata };
      for (const e of decidePlan(amend, plan)) events.push([PLAN_STREAM, e]);
      events.forEach(([streamId, e], i) => {
        const r = stored(streamId, BigInt(i + 2), e, { metadata: { ...stored(streamId, 1n, e).metadata, cityId, correlationId: `seed:${file}` } });
        const message = map(r);
        seen.add(message.event.type);
        const result = validateCloudEvent(message.event);
        if (!result.valid) failures.push(`${file} ${e.type}: ${result.errors.join('; ')}`);
      });
    }
    expect(failures).toEqual([]);
    expect([...seen].sort()).toEqual(expect.arrayContaining([PLAN_AMENDED_V2, TASK_REVISED_V1, TASK_WITHDRAWN_V1, TASK_ISSUED_V3]));
  });
});
