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
  PLAN_AMENDED_V1,
  PLAN_ISSUED_V1,
  PLANS_TOPIC,
  TASK_ASSIGNED_V1,
  TASK_ISSUED_V1,
  TASK_REVISED_V1,
  TASK_STATUS_CHANGED_V1,
  TASK_STATUS_CODES,
  TASK_WITHDRAWN_V1,
  TASKS_TOPIC,
  validateCloudEvent,
} from '@mandate/plans-contracts';
import {
  DEADLINE_KINDS,
  decidePlan,
  decideTask,
  evolvePlan,
  evolveTask,
  initialPlanState,
  initialTaskState,
  TASK_STATUSES,
  type Agency,
  type DeadlineKind,
  type PlanAmended,
  type PlanEvent,
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

/** 183/KH-UBND issued with PL2.I.1 and PL2.I.2, then amended: PL2.I.1 revised, PL2.I.2 dropped, PL2.I.3 added. */
const planAmended = (): PlanAmended => {
  const issue = issuePlan();
  const twoTasks = { ...issue, data: { ...issue.data, tasks: [{ taskId: TASK_ID, ref: 'PL2.I.1' }, { taskId: TASK_ID_2, ref: 'PL2.I.2' }] } };
  const plan = decidePlan(twoTasks, initialPlanState()).reduce(evolvePlan, initialPlanState());
  const [event] = decidePlan(
    {
      type: 'AmendPlan',
      data: {
        planId: PLAN_ID,
        draft: { ...issue.data.draft, title: 'Triển khai thực hiện Nghị quyết số 50/NQ-CP (sửa đổi, bổ sung)' },
        tasks: [{ taskId: TASK_ID, ref: 'PL2.I.1' }, { taskId: TASK_ID_3, ref: 'PL2.I.3' }],
        revised: [TASK_ID],
      },
      metadata: byOffice,
    },
    plan,
  );
  if (event?.type !== 'PlanAmended') throw new Error(`expected PlanAmended, got ${event?.type}`);
  return event;
};
const quarterDeadline = { text: 'Quý IV/2021', kind: 'quarter' as const, due: '2021-12-31', start: '2021-10-01', recurrence: null };

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
    { name: 'PlanAmended', record: () => stored(PLAN_STREAM, 2n, planAmended()), type: PLAN_AMENDED_V1, topic: PLANS_TOPIC },
    {
      name: 'TaskRevised',
      record: () => stored(TASK_STREAM, 3n, taskRevised({ title: 'Xây dựng Luật Thủ đô sửa đổi.', deadline: quarterDeadline })),
      type: TASK_REVISED_V1,
      topic: TASKS_TOPIC,
    },
    { name: 'TaskWithdrawn', record: () => stored(TASK_STREAM, 3n, taskWithdrawn()), type: TASK_WITHDRAWN_V1, topic: TASKS_TOPIC },
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

  it('PlanAmended -> vn.mandate.plan.amended.v1 (task ids by what happened to them; no refs, no document metadata)', () => {
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
    expect(messages.map((m) => m.event.type)).toEqual([TASK_REVISED_V1, TASK_ASSIGNED_V1]);
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
});

describe('the schemas accept everything the domain can say', () => {
  it('knows every DEADLINE_KIND and every TASK_STATUS of the domain', () => {
    expect(contractSchemas[TASK_ISSUED_V1].$defs.deadline.properties.kind.enum).toEqual([...DEADLINE_KINDS]);
    expect(contractSchemas[TASK_REVISED_V1].$defs.deadline.properties.kind.enum).toEqual([...DEADLINE_KINDS]);
    expect(contractSchemas[TASK_STATUS_CHANGED_V1].$defs.status.enum).toEqual([...TASK_STATUSES]);
    expect([...TASK_STATUS_CODES]).toEqual([...TASK_STATUSES]);
  });

  it.each(DEADLINE_KINDS.map((k) => [k]))('a %s deadline', (kind: DeadlineKind) => {
    const spec = { ...deadline('x', ['recurring', 'continuous', 'unspecified'].includes(kind) ? null : '2025-12-31'), kind };
    const message = map(stored(TASK_STREAM, 1n, issued(taskDraft({ deadline: spec }))));
    expect(validateCloudEvent(message.event)).toEqual({ valid: true, errors: [] });
    const revisedTo = map(stored(TASK_STREAM, 3n, taskRevised({ deadline: { ...spec, text: `${spec.text} (sửa đổi)` } })));
    expect(revisedTo.event.type).toBe(TASK_REVISED_V1);
    expect(validateCloudEvent(revisedTo.event)).toEqual({ valid: true, errors: [] });
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
        decideTask({ type: 'IssueTask', data: { taskId: taskIds[i], planId: PLAN_ID, planNumber: draft.number, draft: task }, metadata }, initialTaskState()).reduce(
          evolveTask,
          initialTaskState(),
        ),
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
      for (const e of decideTask({ type: 'IssueTask', data: { ...added, planId: PLAN_ID, planNumber: draft.number, draft: { ...tasks[0], ref: added.ref } }, metadata }, initialTaskState())) {
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
    expect([...seen].sort()).toEqual(expect.arrayContaining([PLAN_AMENDED_V1, TASK_REVISED_V1, TASK_WITHDRAWN_V1, TASK_ISSUED_V1]));
  });
});
