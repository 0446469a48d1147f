import * as fs from 'node:fs';
import * as path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { StoredEvent } from '@mandate/event-store';
import { encodeCloudEvent } from '@mandate/messaging';
import { importPlan } from '@mandate/plan-import';
import {
  CONTRACT_TOPICS,
  contractSchemas,
  kafkaHeadersSchema,
  PLAN_ISSUED_V1,
  PLANS_TOPIC,
  TASK_ASSIGNED_V1,
  TASK_ISSUED_V1,
  TASK_STATUS_CHANGED_V1,
  TASK_STATUS_CODES,
  TASKS_TOPIC,
  validateCloudEvent,
} from '@mandate/plans-contracts';
import {
  DEADLINE_KINDS,
  decidePlan,
  decideTask,
  evolveTask,
  initialPlanState,
  initialTaskState,
  TASK_STATUSES,
  type Agency,
  type DeadlineKind,
  type PlanEvent,
  type TaskEvent,
} from '@mandate/plans-domain';
import { TASK_ID, PLAN_ID, allDepartments, assigned, byOffice, byPlanning, deadline, finance, issued, justice, officerOf, planIssued, statusChanged, taskDraft } from '../../domain/src/testing/builders';
import { toOutgoingMessage } from './contract-mapper';
import { planStream, taskStream } from './plans.service';

const EVENT_ID = '3f0e8a52-6a8e-4b8f-9d1e-5c2b7a9e0c41';
const RECORDED_AT = new Date('2021-09-01T02:00:00.123Z');

let position = 0n;
const stored = (streamId: string, streamVersion: bigint, event: PlanEvent | TaskEvent, overrides: Partial<StoredEvent> = {}): StoredEvent => ({
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

describe('toOutgoingMessage', () => {
  const cases = [
    { name: 'PlanIssued', record: () => stored(PLAN_STREAM, 1n, planIssued()), type: PLAN_ISSUED_V1, topic: PLANS_TOPIC },
    { name: 'TaskIssued', record: () => stored(TASK_STREAM, 1n, issued()), type: TASK_ISSUED_V1, topic: TASKS_TOPIC },
    { name: 'TaskAssigned', record: () => stored(TASK_STREAM, 2n, assigned()), type: TASK_ASSIGNED_V1, topic: TASKS_TOPIC },
    {
      name: 'TaskStatusChanged',
      record: () => stored(TASK_STREAM, 3n, statusChanged('not_started', 'in_progress', officerOf(justice), 'Đã giao Phòng Pháp chế')),
      type: TASK_STATUS_CHANGED_V1,
      topic: TASKS_TOPIC,
    },
  ];

  it('covers every contract type', () => {
    expect(cases.map((c) => c.type).sort()).toEqual(Object.keys(CONTRACT_TOPICS).sort());
  });

  it.each(cases)('maps $name to a valid $type CloudEvent on $topic, keyed by the stream', ({ record, type, topic }) => {
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

  it.each(cases)('encodes $name as Kafka headers that satisfy the header schema', ({ record }) => {
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
  it('PlanIssued -> vn.mandate.plan.issued.v1', () => {
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

  it('TaskIssued -> vn.mandate.task.issued.v1 (no group, supervisor, note or deliverable; deadline without start/recurrence)', () => {
    expect(map(stored(TASK_STREAM, 1n, issued())).event.data).toStrictEqual({
      taskId: TASK_ID,
      planId: PLAN_ID,
      planNumber: '183/KH-UBND',
      ref: 'PL2.I.1',
      title: 'Xây dựng, trình Quốc hội thông qua Luật Thủ đô sửa đổi.',
      deadline: { text: 'Tháng 9/2021', kind: 'month', due: '2021-09-30' },
      status: 'not_started',
    });
  });

  it('TaskAssigned -> vn.mandate.task.assigned.v1 (agency refs without their source text)', () => {
    expect(map(stored(TASK_STREAM, 2n, assigned())).event.data).toStrictEqual({
      taskId: TASK_ID,
      planId: PLAN_ID,
      lead: { agencyId: 'so-tu-phap', name: 'Sở Tư pháp', resolution: 'resolved' },
      coordinators: [{ agencyId: null, name: 'các Sở, Ban, ngành', resolution: 'group' }],
      previousLeadAgencyId: null,
    });
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
    });
  });

  it('TaskStatusChanged -> vn.mandate.task.status-changed.v1 (actor from the event metadata)', () => {
    const data = map(stored(TASK_STREAM, 3n, statusChanged('pending_confirmation', 'completed', byPlanning, 'Đã nghiệm thu'))).event.data;
    expect(data).toStrictEqual({
      taskId: TASK_ID,
      planId: PLAN_ID,
      from: 'pending_confirmation',
      to: 'completed',
      note: 'Đã nghiệm thu',
      changedAt: '2021-09-01T02:00:00.000Z',
      actor: { userId: 'u-planning', role: 'planning', agencyId: 'so-ke-hoach-dau-tu' },
    });
  });
});

describe('the schemas accept everything the domain can say', () => {
  it('knows every DEADLINE_KIND and every TASK_STATUS of the domain', () => {
    expect(contractSchemas[TASK_ISSUED_V1].$defs.deadline.properties.kind.enum).toEqual([...DEADLINE_KINDS]);
    expect(contractSchemas[TASK_STATUS_CHANGED_V1].$defs.status.enum).toEqual([...TASK_STATUSES]);
    expect([...TASK_STATUS_CODES]).toEqual([...TASK_STATUSES]);
  });

  it.each(DEADLINE_KINDS.map((k) => [k]))('a %s deadline', (kind: DeadlineKind) => {
    const spec = { ...deadline('x', ['recurring', 'continuous', 'unspecified'].includes(kind) ? null : '2025-12-31'), kind };
    const message = map(stored(TASK_STREAM, 1n, issued(taskDraft({ deadline: spec }))));
    expect(validateCloudEvent(message.event)).toEqual({ valid: true, errors: [] });
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

  it('every event of every seed document, imported and decided as the seed does it', () => {
    const seeds = path.resolve(__dirname, '../../../../seeds');
    const manifest = JSON.parse(fs.readFileSync(path.join(seeds, 'manifest.json'), 'utf8')) as { file: string; cityId: string }[];
    const failures: string[] = [];
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
      const planCmd = { type: 'IssuePlan' as const, data: { planId: PLAN_ID, draft: planDraft, tasks: tasks.map((t, i) => ({ taskId: taskIds[i], ref: t.ref })) }, metadata };
      for (const e of decidePlan(planCmd, initialPlanState())) events.push([PLAN_STREAM, e]);
      events.forEach(([streamId, e], i) => {
        const r = stored(streamId, BigInt(i + 1), e, { metadata: { ...stored(streamId, 1n, e).metadata, cityId, correlationId: `seed:${file}` } });
        const result = validateCloudEvent(map(r).event);
        checked++;
        if (!result.valid) failures.push(`${file} ${e.type}: ${result.errors.join('; ')}`);
      });
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(manifest.length * 2);
  });
});
