import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ALL_CONTRACT_TOPICS,
  CITIES_TOPIC,
  CITY_CREATED_V1,
  CITY_RESUMED_V1,
  CITY_MERGED_V1,
  PLAN_MOVED_V1,
  TASK_MOVED_V1,
  CITY_SETTINGS_CHANGED_V1,
  CITY_SUSPENDED_V1,
  cityOfContract,
  cloudEventSchema,
  CONTRACT_TOPICS,
  contractSchemaFiles,
  contractSchemas,
  contractTypes,
  kafkaHeadersSchema,
  PLAN_AMENDED_V1,
  PLAN_AMENDED_V2,
  PLAN_INDICATORS_SET_V1,
  PLAN_ISSUED_V1,
  PLAN_ISSUED_V2,
  PLAN_NUMBERED_V1,
  PLAN_IMPORT_REVIEWED_V1,
  planAmendedOf,
  planIssuedOf,
  PLANS_TOPIC,
  REPORT_ACCEPTED_V1,
  REPORT_CONTRACT_TOPICS,
  REPORT_OVERDUE_V1,
  REPORT_REQUESTED_V1,
  REPORT_RETURNED_V1,
  REPORT_SUBMITTED_V1,
  REPORTS_TOPIC,
  TASK_ASSIGNED_V1,
  TASK_ASSIGNED_V2,
  TASK_DUE_SOON_V1,
  TASK_EXTENSION_APPROVED_V1,
  TASK_EXTENSION_REJECTED_V1,
  TASK_EXTENSION_REQUESTED_V1,
  TASK_ISSUED_V1,
  TASK_ISSUED_V2,
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
  taskIssuedOf,
  taskStatusChangeOf,
  validateCloudEvent,
  validateContract,
} from './index';
import {
  contractExamples,
  PLAN_ID,
  REPORT_ID,
  TASK_ID,
  cityCreated,
  citySettingsChanged,
  citySuspended,
  cityResumed,
  reportRequested,
  reportSubmitted,
  reportReturned,
  reportOverdue,
  planIssued,
  planIssuedV2,
  planAmendedV2,
  taskIssued,
  taskIssuedV2,
  taskIssuedV3,
  taskAssigned,
  taskStatusChanged,
  taskStatusChangedV2,
  planAmended,
  taskRevised,
  taskWithdrawn,
  taskProgressReported,
  taskExtensionRequested,
  taskExtensionApproved,
  taskExtensionRejected,
  taskOccurrenceOpened,
  taskLinked,
  planIndicatorsSet,
} from './examples';

const SCHEMA_DIR = path.join(__dirname, 'schemas');
const samples = contractExamples;

const envelope = (overrides: Record<string, unknown> = {}) => ({
  specversion: '1.0',
  id: '0b6f1c1e-7d7a-4f0e-9a53-2f1f3c0f2a11',
  type: TASK_STATUS_CHANGED_V1,
  source: '/mandate/ha-noi/plans',
  subject: `task-${TASK_ID}`,
  time: '2021-09-01T02:00:00.000Z',
  datacontenttype: 'application/json',
  cityid: 'ha-noi',
  correlationid: 'seed:ha-noi-183-KH-UBND-2021.txt',
  sequence: '3',
  data: taskStatusChanged(),
  ...overrides,
});

const rejects = (event: { type: string; data: unknown }): string[] => {
  const result = validateContract(event);
  expect(result.valid).toBe(false);
  return [...result.errors];
};

describe('contract schemas', () => {
  it('cover exactly the contract types, each with its topic', () => {
    const types = [
      PLAN_ISSUED_V1,
      PLAN_ISSUED_V2,
      PLAN_NUMBERED_V1,
      PLAN_IMPORT_REVIEWED_V1,
      TASK_ISSUED_V1,
      TASK_ISSUED_V2,
      TASK_ISSUED_V3,
      TASK_ASSIGNED_V1,
      TASK_ASSIGNED_V2,
      TASK_STATUS_CHANGED_V1,
      TASK_STATUS_CHANGED_V2,
      PLAN_AMENDED_V1,
      PLAN_AMENDED_V2,
      TASK_REVISED_V1,
      TASK_WITHDRAWN_V1,
      TASK_PROGRESS_REPORTED_V1,
      TASK_EXTENSION_REQUESTED_V1,
      TASK_EXTENSION_APPROVED_V1,
      TASK_EXTENSION_REJECTED_V1,
      TASK_DUE_SOON_V1,
      TASK_OVERDUE_V1,
      TASK_OCCURRENCE_OPENED_V1,
      TASK_LINKED_V1,
      PLAN_INDICATORS_SET_V1,
      CITY_CREATED_V1,
      CITY_SETTINGS_CHANGED_V1,
      CITY_SUSPENDED_V1,
      CITY_RESUMED_V1,
      CITY_MERGED_V1,
      PLAN_MOVED_V1,
      TASK_MOVED_V1,
    ];
    const reportTypes = [REPORT_REQUESTED_V1, REPORT_SUBMITTED_V1, REPORT_RETURNED_V1, REPORT_ACCEPTED_V1, REPORT_OVERDUE_V1];
    expect(Object.keys(contractSchemas).sort()).toEqual([...types, ...reportTypes].sort());
    expect(contractTypes().sort()).toEqual([...types, ...reportTypes].sort());
    expect(REPORT_CONTRACT_TOPICS).toEqual(Object.fromEntries(reportTypes.map((t) => [t, REPORTS_TOPIC])));
    expect(ALL_CONTRACT_TOPICS).toEqual({ ...CONTRACT_TOPICS, ...REPORT_CONTRACT_TOPICS });
    expect(CONTRACT_TOPICS).toEqual({
      [PLAN_ISSUED_V1]: PLANS_TOPIC,
      [PLAN_ISSUED_V2]: PLANS_TOPIC,
      [PLAN_NUMBERED_V1]: PLANS_TOPIC,
      [PLAN_IMPORT_REVIEWED_V1]: PLANS_TOPIC,
      [TASK_ISSUED_V1]: TASKS_TOPIC,
      [TASK_ISSUED_V2]: TASKS_TOPIC,
      [TASK_ISSUED_V3]: TASKS_TOPIC,
      [TASK_ASSIGNED_V1]: TASKS_TOPIC,
      [TASK_ASSIGNED_V2]: TASKS_TOPIC,
      [TASK_STATUS_CHANGED_V1]: TASKS_TOPIC,
      [TASK_STATUS_CHANGED_V2]: TASKS_TOPIC,
      [PLAN_AMENDED_V1]: PLANS_TOPIC,
      [PLAN_AMENDED_V2]: PLANS_TOPIC,
      [TASK_REVISED_V1]: TASKS_TOPIC,
      [TASK_WITHDRAWN_V1]: TASKS_TOPIC,
      [TASK_PROGRESS_REPORTED_V1]: TASKS_TOPIC,
      [TASK_EXTENSION_REQUESTED_V1]: TASKS_TOPIC,
      [TASK_EXTENSION_APPROVED_V1]: TASKS_TOPIC,
      [TASK_EXTENSION_REJECTED_V1]: TASKS_TOPIC,
      [TASK_DUE_SOON_V1]: TASKS_TOPIC,
      [TASK_OVERDUE_V1]: TASKS_TOPIC,
      [TASK_OCCURRENCE_OPENED_V1]: TASKS_TOPIC,
      [TASK_LINKED_V1]: TASKS_TOPIC,
      [PLAN_INDICATORS_SET_V1]: PLANS_TOPIC,
      [CITY_CREATED_V1]: CITIES_TOPIC,
      [CITY_SETTINGS_CHANGED_V1]: CITIES_TOPIC,
      [CITY_SUSPENDED_V1]: CITIES_TOPIC,
      [CITY_RESUMED_V1]: CITIES_TOPIC,
      [CITY_MERGED_V1]: CITIES_TOPIC,
      [PLAN_MOVED_V1]: PLANS_TOPIC,
      [TASK_MOVED_V1]: TASKS_TOPIC,
    });
  });

  it('are the files in schemas/, named after their type, and each file is in use', () => {
    const onDisk = fs.readdirSync(SCHEMA_DIR).sort();
    expect(Object.values(contractSchemaFiles).sort()).toEqual(onDisk);
    for (const [type, schema] of Object.entries(contractSchemas)) {
      const file = contractSchemaFiles[type as keyof typeof contractSchemas];
      expect(file).toBe(`${type}.schema.json`);
      expect(JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, file), 'utf8'))).toEqual(schema);
      expect(schema).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema', title: type, type: 'object', additionalProperties: false });
    }
  });

  it('close every object, nested ones included, so an accidental field is caught', () => {
    const open: string[] = [];
    const walk = (node: unknown, at: string) => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${at}/${i}`));
      if (typeof node !== 'object' || node === null) return;
      const n = node as Record<string, unknown>;
      if (n.properties && n.additionalProperties !== false) open.push(at);
      for (const [k, v] of Object.entries(n)) if (k !== 'if' && k !== 'then' && k !== 'else') walk(v, `${at}/${k}`);
    };
    for (const [type, schema] of Object.entries(contractSchemas)) walk(schema, type);
    expect(open).toEqual([]);
  });

  it('keep to keywords draft-07 and 2020-12 read alike (AsyncAPI 3.0 registers draft-07)', () => {
    const allowed = new Set([
      '$schema',
      '$id',
      '$ref',
      '$defs',
      'title',
      'description',
      'type',
      'properties',
      'required',
      'additionalProperties',
      'items',
      'enum',
      'const',
      'pattern',
      'format',
      'minLength',
      'maxLength',
      'minimum',
      'maximum',
      'minItems',
      'uniqueItems',
      'propertyNames',
      'minProperties',
      'if',
      'then',
      'else',
    ]);
    const used = new Set<string>();
    const walk = (node: unknown, inMap: boolean) => {
      if (Array.isArray(node)) return node.forEach((n) => walk(n, false));
      if (typeof node !== 'object' || node === null) return;
      for (const [k, v] of Object.entries(node)) {
        if (!inMap) used.add(k);
        walk(v, !inMap && (k === 'properties' || k === '$defs'));
      }
    };
    for (const schema of [...Object.values(contractSchemas), cloudEventSchema, kafkaHeadersSchema]) walk(schema, false);
    expect([...used].filter((k) => !allowed.has(k))).toEqual([]);
  });

  it('list the five status codes of v1 and the eight of v2', () => {
    expect(contractSchemas[TASK_STATUS_CHANGED_V1].$defs.status.enum).toEqual([...TASK_STATUS_CODES]);
    expect(contractSchemas[TASK_STATUS_CHANGED_V2].$defs.status.enum).toEqual([...TASK_STATUS_CODES_V2]);
    expect(contractSchemas[TASK_ISSUED_V1].properties.status.const).toBe(TASK_STATUS_CODES[0]);
    expect(contractSchemas[TASK_ISSUED_V1].properties.status.const).toBe(TASK_STATUS_CODES_V2[0]);
    expect(contractSchemas[TASK_ISSUED_V2].properties.status.const).toBe(TASK_STATUS_CODES_V2[0]);
  });

  it('give status-changed v2 the fields of v1, only the codes differ', () => {
    const { $defs: v1Defs, $id: _1, title: _t1, description: _d1, ...v1 } = contractSchemas[TASK_STATUS_CHANGED_V1];
    const { $defs: v2Defs, $id: _2, title: _t2, description: _d2, ...v2 } = contractSchemas[TASK_STATUS_CHANGED_V2];
    const { note: v1Note, ...v1Properties } = v1.properties;
    const { note: v2Note, ...v2Properties } = v2.properties;
    expect({ ...v2, properties: v2Properties }).toEqual({ ...v1, properties: v1Properties });
    expect(v2Note.type).toBe(v1Note.type);
    expect(Object.keys(v2Defs)).toEqual(Object.keys(v1Defs));
  });

  it('give task.issued v2 the fields of v1 as they are, plus the four the document states and issuedAt', () => {
    const { $id: _1, title: _t1, description: _d1, required: r1, properties: p1, ...v1 } = contractSchemas[TASK_ISSUED_V1];
    const { $id: _2, title: _t2, description: _d2, required: r2, properties: p2, ...v2 } = contractSchemas[TASK_ISSUED_V2];
    expect(v2).toEqual(v1);
    const added = ['group', 'deliverable', 'supervisor', 'note', 'issuedAt'];
    expect(p2).toMatchObject(p1);
    expect(
      Object.keys(p2)
        .filter((k) => !(k in p1))
        .sort(),
    ).toEqual([...added].sort());
    expect([...r2].sort()).toEqual([...r1, ...added].sort());
    for (const k of ['group', 'deliverable', 'supervisor', 'note'] as const) expect([k, p2[k].type]).toEqual([k, ['string', 'null']]);
    expect(p2.issuedAt).toEqual({ type: 'string', format: 'date-time' });
  });

  it.each([
    [PLAN_ISSUED_V1, PLAN_ISSUED_V2, ['number', 'issuedOn']],
    [PLAN_AMENDED_V1, PLAN_AMENDED_V2, ['number']],
    [TASK_ISSUED_V2, TASK_ISSUED_V3, ['planNumber']],
  ] as const)("give %s's successor %s its fields, only %j may be null (a plan tracked before signing)", (old, next, nullable) => {
    type Schema = { $id: string; title: string; description: string; properties: Record<string, { type: unknown; description?: string }> };
    const { $id: _1, title: _t1, description: _d1, properties: p1, ...v1 } = contractSchemas[old] as unknown as Schema;
    const { $id: _2, title: _t2, description: _d2, properties: p2, ...v2 } = contractSchemas[next] as unknown as Schema;
    expect(v2).toEqual(v1);
    expect(Object.keys(p2)).toEqual(Object.keys(p1));
    for (const [k, p] of Object.entries(p2)) {
      const { description: _a, ...now } = p;
      const { description: _b, ...before } = p1[k]!;
      expect([k, now]).toEqual([k, (nullable as readonly string[]).includes(k) ? { ...before, type: ['string', 'null'] } : before]);
    }
    expect(validateContract({ type: next, data: { ...samples[next](), ...Object.fromEntries(nullable.map((k) => [k, ''])) } }).valid).toBe(false);
  });

  it('describe a deadline the same way wherever one travels', () => {
    expect(contractSchemas[TASK_ISSUED_V2].$defs.deadline).toEqual(contractSchemas[TASK_ISSUED_V1].$defs.deadline);
    expect(contractSchemas[TASK_REVISED_V1].$defs.deadline).toEqual(contractSchemas[TASK_ISSUED_V1].$defs.deadline);
    expect(contractSchemas[TASK_EXTENSION_APPROVED_V1].$defs.deadline).toEqual(contractSchemas[TASK_ISSUED_V1].$defs.deadline);
    expect(contractSchemas[TASK_EXTENSION_APPROVED_V1].properties.previousDue).toMatchObject({
      type: contractSchemas[TASK_ISSUED_V1].$defs.deadline.properties.due.type,
      format: contractSchemas[TASK_ISSUED_V1].$defs.deadline.properties.due.format,
    });
  });

  it('describe an actor the same way wherever one travels', () => {
    for (const type of [
      TASK_STATUS_CHANGED_V2,
      TASK_PROGRESS_REPORTED_V1,
      TASK_EXTENSION_REQUESTED_V1,
      TASK_EXTENSION_APPROVED_V1,
      TASK_EXTENSION_REJECTED_V1,
      CITY_CREATED_V1,
      CITY_SETTINGS_CHANGED_V1,
      CITY_SUSPENDED_V1,
      CITY_RESUMED_V1,
    ] as const) {
      expect([type, contractSchemas[type].properties.actor]).toEqual([type, contractSchemas[TASK_STATUS_CHANGED_V1].properties.actor]);
    }
  });

  it('give the Kafka headers the constraints of the envelope attributes they carry', () => {
    const strip = ({ description: _d, ...rest }: Record<string, unknown>) => rest;
    const attributes = Object.keys(cloudEventSchema.properties).filter((a) => a !== 'data' && a !== 'datacontenttype');
    const headers = kafkaHeadersSchema.properties as Record<string, Record<string, unknown>>;
    const props = cloudEventSchema.properties as Record<string, Record<string, unknown>>;
    for (const a of attributes) expect([a, strip(headers[`ce_${a}`])]).toEqual([a, strip(props[a])]);
    expect(strip(headers['content-type'])).toEqual(strip(props.datacontenttype));
    expect(kafkaHeadersSchema.required).toEqual([
      'content-type',
      ...cloudEventSchema.required.filter((a) => a !== 'data' && a !== 'datacontenttype').map((a) => `ce_${a}`),
    ]);
    expect(Object.keys(headers).sort()).toEqual(['content-type', ...attributes.map((a) => `ce_${a}`)].sort());
  });
});

describe('validateContract', () => {
  it.each(Object.entries(samples))('accepts a well-formed %s', (type, sample) => {
    expect(validateContract({ type, data: sample() })).toEqual({ valid: true, errors: [] });
  });

  it.each(Object.entries(samples))('rejects %s with an accidental field, naming it', (type, sample) => {
    // A domain field the contract does not carry: the group heading, or for task.issued v2 (which carries it) the lead's source text.
    const field = 'group' in sample() ? 'leadText' : 'group';
    expect(rejects({ type, data: { ...sample(), [field]: 'I. Cơ chế' } })).toEqual([`data: unexpected property "${field}"`]);
  });

  it.each(Object.entries(samples).flatMap(([type, sample]) => Object.keys(sample()).map((field) => [type, field, sample] as const)))(
    'rejects %s without %s, naming it',
    (type, field, sample) => {
      const { [field]: _gone, ...data } = sample() as Record<string, unknown>;
      expect(rejects({ type, data })).toEqual([`data: missing property "${field}"`]);
    },
  );

  it('catches accidental and missing fields in nested objects', () => {
    const lead = { ...taskAssigned().lead, text: 'Sở Tư pháp' };
    expect(rejects({ type: TASK_ASSIGNED_V1, data: { ...taskAssigned(), lead } })).toEqual(['data/lead: unexpected property "text"']);
    const deadline = { text: 'Tháng 9/2021', kind: 'month', due: '2021-09-30', start: null, recurrence: null };
    expect(rejects({ type: TASK_ISSUED_V1, data: { ...taskIssued(), deadline } })).toEqual([
      'data/deadline: unexpected property "start"',
      'data/deadline: unexpected property "recurrence"',
    ]);
    const { role: _r, ...actor } = taskStatusChanged().actor;
    expect(rejects({ type: TASK_STATUS_CHANGED_V1, data: { ...taskStatusChanged(), actor } })).toEqual(['data/actor: missing property "role"']);
  });

  it('takes a revision of any one field, null included, and no empty or unknown revision', () => {
    const revised = (changes: Record<string, unknown>) => ({ type: TASK_REVISED_V1, data: { ...taskRevised(), changes } });
    for (const changes of [
      { ref: 'PL2.I.2' },
      { title: 'Xây dựng Luật Thủ đô sửa đổi.' },
      { deadline: { text: '', kind: 'unspecified', due: null } },
      { deliverable: 'Luật Thủ đô (sửa đổi)' },
      { deliverable: null },
      { note: null },
      { supervisor: 'PCT Dương Đức Tuấn' },
      { group: null },
    ]) {
      expect([changes, validateContract(revised(changes))]).toEqual([changes, { valid: true, errors: [] }]);
    }
    expect(rejects(revised({}))).toEqual(['data/changes: must NOT have fewer than 1 properties']);
    expect(rejects(revised({ lead: 'Sở Tư pháp' }))).toEqual(['data/changes: unexpected property "lead"']);
    expect(rejects(revised({ title: '' }))).toEqual(['data/changes/title: must NOT have fewer than 1 characters']);
    expect(rejects(revised({ title: null }))).toEqual(['data/changes/title: must be string']);
    expect(rejects(revised({ ref: null }))).toEqual(['data/changes/ref: must be string']);
    expect(rejects(revised({ deadline: { text: 'Quý IV/2021', kind: 'quarter', due: '2021-12-31', start: '2021-10-01' } }))).toEqual([
      'data/changes/deadline: unexpected property "start"',
    ]);
  });

  it('takes a whole percent from 0 to 100, and attachments of a whole, non-negative size', () => {
    const progress = (overrides: Record<string, unknown>) => ({ type: TASK_PROGRESS_REPORTED_V1, data: { ...taskProgressReported(), ...overrides } });
    for (const percent of [0, 100]) expect(validateContract(progress({ percent }))).toEqual({ valid: true, errors: [] });
    expect(validateContract(progress({ attachments: [] }))).toEqual({ valid: true, errors: [] });
    const [attachment] = taskProgressReported().attachments;
    expect(validateContract(progress({ attachments: [{ ...attachment, size: 0, url: 'https://docs.mandate.invalid/a/1' }] }))).toEqual({
      valid: true,
      errors: [],
    });
    expect(rejects(progress({ percent: 101 }))).toEqual(['data/percent: must be <= 100']);
    expect(rejects(progress({ percent: -1 }))).toEqual(['data/percent: must be >= 0']);
    expect(rejects(progress({ percent: 12.5 }))).toEqual(['data/percent: must be integer']);
    expect(rejects(progress({ text: '' }))).toEqual(['data/text: must NOT have fewer than 1 characters']);
    expect(rejects(progress({ attachments: [{ ...attachment, size: -1 }] }))).toEqual(['data/attachments/0/size: must be >= 0']);
    expect(rejects(progress({ attachments: [{ ...attachment, size: '482113' }] }))).toEqual(['data/attachments/0/size: must be integer']);
    expect(rejects(progress({ attachments: [{ ...attachment, bytes: 'JVBERi0' }] }))).toEqual(['data/attachments/0: unexpected property "bytes"']);
    const { url: _url, ...withoutUrl } = attachment;
    expect(rejects(progress({ attachments: [withoutUrl] }))).toEqual(['data/attachments/0: missing property "url"']);
  });

  it('takes an approval of a task that had no due date, and no deadline beyond the three fields', () => {
    const approved = (overrides: Record<string, unknown>) => ({ type: TASK_EXTENSION_APPROVED_V1, data: { ...taskExtensionApproved(), ...overrides } });
    expect(validateContract(approved({ previousDue: null }))).toEqual({ valid: true, errors: [] });
    const deadline = { ...taskExtensionApproved().deadline, start: null, recurrence: null };
    expect(rejects(approved({ deadline }))).toEqual(['data/deadline: unexpected property "start"', 'data/deadline: unexpected property "recurrence"']);
  });

  it('gives due-soon and overdue the same fields, a due date and an instant', () => {
    const { $id: _1, title: _t1, description: _d1, properties: soon, ...dueSoon } = contractSchemas[TASK_DUE_SOON_V1];
    const { $id: _2, title: _t2, description: _d2, properties: late, ...overdue } = contractSchemas[TASK_OVERDUE_V1];
    expect(dueSoon).toEqual(overdue);
    expect(Object.keys(soon)).toEqual(Object.keys(late));
    for (const type of [TASK_DUE_SOON_V1, TASK_OVERDUE_V1] as const) {
      const sample = samples[type]();
      expect(rejects({ type, data: { ...sample, due: '2021-09-31', at: '2021-09-30' } })).toEqual([
        'data/due: must match format "date"',
        'data/at: must match format "date-time"',
      ]);
      expect(rejects({ type, data: { ...sample, due: null } })).toEqual(['data/due: must be string']);
    }
  });

  it('opens occurrences from the first, as a report or a check-in, with a period of dates', () => {
    const opened = (overrides: Record<string, unknown>) => ({ type: TASK_OCCURRENCE_OPENED_V1, data: { ...taskOccurrenceOpened(), ...overrides } });
    for (const overrides of [{ occurrence: 1 }, { occurrence: 1000 }, { kind: 'check-in' }]) {
      expect(validateContract(opened(overrides))).toEqual({ valid: true, errors: [] });
    }
    expect(rejects(opened({ occurrence: 0 }))).toEqual(['data/occurrence: must be >= 1']);
    expect(rejects(opened({ occurrence: 1.5 }))).toEqual(['data/occurrence: must be integer']);
    expect(rejects(opened({ kind: 'reminder' }))).toEqual(['data/kind: must be one of "report", "check-in"']);
    expect(rejects(opened({ periodStart: '2021-10', due: '31/12/2021', openedAt: '2021-10-01' }))).toEqual([
      'data/periodStart: must match format "date"',
      'data/due: must match format "date"',
      'data/openedAt: must match format "date-time"',
    ]);
  });

  it('links a task to a parent named by its uuid', () => {
    expect(rejects({ type: TASK_LINKED_V1, data: { ...taskLinked(), parentTaskId: 'PL2.I.1', linkedAt: '2021-10-01' } })).toEqual([
      'data/parentTaskId: must match format "uuid"',
      'data/linkedAt: must match format "date-time"',
    ]);
  });

  it('takes the full set of indicators, none included, and targets as written with numbers only where they read as such', () => {
    const set = (overrides: Record<string, unknown>) => ({ type: PLAN_INDICATORS_SET_V1, data: { ...planIndicatorsSet(), ...overrides } });
    const [indicator] = planIndicatorsSet().indicators;
    const withTarget = (target: Record<string, unknown>) => set({ indicators: [{ ...indicator, targets: [target] }] });
    expect(validateContract(set({ indicators: [] }))).toEqual({ valid: true, errors: [] });
    expect(validateContract(set({ indicators: [{ ...indicator, targets: [] }] }))).toEqual({ valid: true, errors: [] });
    expect(validateContract(set({ indicators: [{ ...indicator, lead: { agencyId: null, name: 'các Sở, ngành' } }] }))).toEqual({ valid: true, errors: [] });
    for (const target of [
      { horizon: 2025, text: 'trên 60%', min: 60 },
      { horizon: 2025, text: 'dưới 3%', max: 3 },
      { horizon: null, text: 'Hoàn thành' },
    ]) {
      expect([target, validateContract(withTarget(target))]).toEqual([target, { valid: true, errors: [] }]);
    }
    expect(rejects(withTarget({ horizon: 2025, text: '60%', value: '60' }))).toEqual(['data/indicators/0/targets/0/value: must be number']);
    expect(rejects(withTarget({ horizon: 2025.5, text: '60%', value: 60 }))).toEqual(['data/indicators/0/targets/0/horizon: must be integer,null']);
    expect(rejects(withTarget({ horizon: 2025, text: '60%', value: 60, note: 'x' }))).toEqual(['data/indicators/0/targets/0: unexpected property "note"']);
    expect(rejects(withTarget({ text: '60%' }))).toEqual(['data/indicators/0/targets/0: missing property "horizon"']);
    expect(rejects(withTarget({ horizon: 2025, text: '' }))).toEqual(['data/indicators/0/targets/0/text: must NOT have fewer than 1 characters']);
    const { unit: _unit, ...withoutUnit } = indicator;
    expect(rejects(set({ indicators: [withoutUnit] }))).toEqual(['data/indicators/0: missing property "unit"']);
    expect(rejects(set({ indicators: [{ ...indicator, lead: { ...indicator.lead, resolution: 'resolved' } }] }))).toEqual([
      'data/indicators/0/lead: unexpected property "resolution"',
    ]);
    expect(rejects(set({ indicators: [{ ...indicator, lead: 'Sở Kế hoạch và Đầu tư' }] }))).toEqual(['data/indicators/0/lead: must be object,null']);
    expect(rejects(set({ indicators: null }))).toEqual(['data/indicators: must be array']);
    expect(rejects(set({ planId: 'plan-183', setAt: '2021-09-01' }))).toEqual([
      'data/planId: must match format "uuid"',
      'data/setAt: must match format "date-time"',
    ]);
  });

  it('describes a report the same way in every report type: its ids, its period and its sending day', () => {
    const reportTypes = Object.keys(REPORT_CONTRACT_TOPICS) as (keyof typeof REPORT_CONTRACT_TOPICS)[];
    const shared = ['reportId', 'planId', 'agencyId', 'periodKey', 'dueOn'] as const;
    for (const type of reportTypes) {
      for (const field of shared)
        expect([type, field, contractSchemas[type].properties[field]]).toEqual([type, field, contractSchemas[REPORT_REQUESTED_V1].properties[field]]);
    }
  });

  it('takes a report of any period kind, and no period key or sending day it cannot read', () => {
    const requested = (overrides: Record<string, unknown>) => ({ type: REPORT_REQUESTED_V1, data: { ...reportRequested(), ...overrides } });
    for (const periodKey of ['2024-M03', '2024-M12', '2024-Q1', '2024-H2', '2024-9M', '2024-Y']) {
      expect([periodKey, validateContract(requested({ periodKey }))]).toEqual([periodKey, { valid: true, errors: [] }]);
    }
    for (const periodKey of ['2024-M13', '2024-Q5', 'Quý I/2024', '2024-q1'])
      expect(rejects(requested({ periodKey }))[0]).toMatch(/^data\/periodKey: must match pattern/);
    expect(rejects(requested({ dueOn: '20/03/2024' }))).toEqual(['data/dueOn: must match format "date"']);
    expect(rejects(requested({ taskIds: [TASK_ID, TASK_ID] }))[0]).toMatch(/^data\/taskIds: must NOT have duplicate items/);
    expect(rejects(requested({ agencyId: '' }))).toEqual(['data/agencyId: must NOT have fewer than 1 characters']);
    expect(rejects({ type: REPORT_SUBMITTED_V1, data: { ...reportSubmitted(), late: 'yes' } })).toEqual(['data/late: must be boolean']);
    expect(rejects({ type: REPORT_RETURNED_V1, data: { ...reportReturned(), reason: '' } })).toEqual(['data/reason: must NOT have fewer than 1 characters']);
    expect(rejects({ type: REPORT_OVERDUE_V1, data: { ...reportOverdue(), reportId: 'report-1', markedAt: '2021-09-21' } })).toEqual([
      'data/reportId: must match format "uuid"',
      'data/markedAt: must match format "date-time"',
    ]);
  });

  it('names the allowed values of an enum', () => {
    const [error] = rejects({ type: TASK_STATUS_CHANGED_V1, data: { ...taskStatusChanged(), to: 'done' } });
    expect(error).toBe('data/to: must be one of "not_started", "in_progress", "pending_confirmation", "completed", "suspended"');
    expect(rejects({ type: TASK_STATUS_CHANGED_V1, data: { ...taskStatusChanged(), to: 'submitted' } })[0]).toMatch(/^data\/to: must be one of/);
    expect(rejects({ type: TASK_STATUS_CHANGED_V2, data: { ...taskStatusChangedV2(), from: 'pending_confirmation' } })).toEqual([
      'data/from: must be one of "not_started", "in_progress", "submitted", "completed", "returned", "paused", "cancelled", "declined"',
    ]);
    expect(rejects({ type: TASK_ISSUED_V1, data: { ...taskIssued(), deadline: { text: '', kind: 'soon', due: null } } })[0]).toMatch(
      /^data\/deadline\/kind: must be one of "date", "month", .*"unspecified"$/,
    );
    expect(rejects({ type: TASK_ISSUED_V1, data: { ...taskIssued(), status: 'in_progress' } })).toEqual(['data/status: must be "not_started"']);
    expect(rejects({ type: TASK_ISSUED_V2, data: { ...taskIssuedV2(), status: 'in_progress' } })).toEqual(['data/status: must be "not_started"']);
    expect(rejects({ type: PLAN_ISSUED_V1, data: { ...planIssued(), kind: 'decision' } })).toEqual(['data/kind: must be one of "plan", "directive"']);
  });

  it('checks formats: uuid ids, ISO dates and instants', () => {
    expect(rejects({ type: PLAN_ISSUED_V1, data: { ...planIssued(), issuedOn: '10/08/2021', taskIds: ['PL2.I.1'] } })).toEqual([
      'data/issuedOn: must match format "date"',
      'data/taskIds/0: must match format "uuid"',
    ]);
    expect(rejects({ type: TASK_ISSUED_V1, data: { ...taskIssued(), deadline: { text: 'x', kind: 'date', due: '2021-09-31' } } })).toEqual([
      'data/deadline/due: must match format "date"',
    ]);
    expect(rejects({ type: TASK_ISSUED_V2, data: { ...taskIssuedV2(), issuedAt: '2021-09-01' } })).toEqual(['data/issuedAt: must match format "date-time"']);
    expect(rejects({ type: TASK_STATUS_CHANGED_V1, data: { ...taskStatusChanged(), changedAt: '2021-09-01' } })).toEqual([
      'data/changedAt: must match format "date-time"',
    ]);
    expect(rejects({ type: PLAN_AMENDED_V1, data: { ...planAmended(), withdrawnTaskIds: ['PL2.I.2'], amendedAt: '2021-10-01' } })).toEqual([
      'data/withdrawnTaskIds/0: must match format "uuid"',
      'data/amendedAt: must match format "date-time"',
    ]);
    expect(rejects({ type: TASK_WITHDRAWN_V1, data: { ...taskWithdrawn(), taskId: 'PL2.I.2' } })).toEqual(['data/taskId: must match format "uuid"']);
    expect(rejects({ type: TASK_EXTENSION_REQUESTED_V1, data: { ...taskExtensionRequested(), until: '31/12/2021', requestedAt: '2021-09-20' } })).toEqual([
      'data/until: must match format "date"',
      'data/requestedAt: must match format "date-time"',
    ]);
    expect(rejects({ type: TASK_EXTENSION_APPROVED_V1, data: { ...taskExtensionApproved(), previousDue: '2021-09-31' } })).toEqual([
      'data/previousDue: must match format "date"',
    ]);
    expect(rejects({ type: TASK_EXTENSION_REJECTED_V1, data: { ...taskExtensionRejected(), rejectedAt: '2021-09-22' } })).toEqual([
      'data/rejectedAt: must match format "date-time"',
    ]);
    expect(rejects({ type: TASK_PROGRESS_REPORTED_V1, data: { ...taskProgressReported(), reportedAt: 'hôm nay' } })).toEqual([
      'data/reportedAt: must match format "date-time"',
    ]);
  });

  it('ties an agency id to its resolution', () => {
    const lead = { agencyId: null, name: 'Sở Tư pháp', resolution: 'resolved' };
    const [error] = rejects({ type: TASK_ASSIGNED_V1, data: { ...taskAssigned(), lead } });
    expect(error).toBe('data/lead/agencyId: must be string (rule #/$defs/agencyRef/then/properties/agencyId)');
    const coordinators = [{ agencyId: 'so-tai-chinh', name: 'các Sở', resolution: 'group' }];
    expect(rejects({ type: TASK_ASSIGNED_V1, data: { ...taskAssigned(), coordinators } })[0]).toMatch(/^data\/coordinators\/0\/agencyId: must be null/);
  });

  it('rejects a type it does not know, listing the known ones', () => {
    expect(rejects({ type: 'vn.mandate.task.status-changed.v3', data: taskStatusChangedV2() })).toEqual([
      `type: unknown event type "vn.mandate.task.status-changed.v3" (known: ${contractTypes().join(', ')})`,
    ]);
  });
});

describe('city contracts (mandate.cities.v1)', () => {
  const cityTypes = [CITY_CREATED_V1, CITY_SETTINGS_CHANGED_V1, CITY_SUSPENDED_V1, CITY_RESUMED_V1] as const;
  const created = (city: Record<string, unknown>) => ({ type: CITY_CREATED_V1, data: { ...cityCreated(), city: { ...cityCreated().city, ...city } } });
  const cityEvent = (overrides: Record<string, unknown> = {}) =>
    envelope({ type: CITY_CREATED_V1, source: '/mandate/platform/plans', subject: 'city-quang-ninh', cityid: 'platform', data: cityCreated(), ...overrides });

  it('describe a city the same way in every city type', () => {
    for (const type of cityTypes) {
      expect([type, contractSchemas[type].properties.city]).toEqual([type, { $ref: '#/$defs/city' }]);
      expect([type, contractSchemas[type].$defs]).toEqual([type, contractSchemas[CITY_CREATED_V1].$defs]);
    }
  });

  it('take a city of either level and status, and any reporting calendar the decree allows departing from', () => {
    for (const city of [
      { level: 'city' },
      { status: 'suspended' },
      { dueSoonDays: 0 },
      { dueSoonDays: 60 },
      { reporting: { cutoffDay: 1 } },
      { reporting: { cutoffDay: 28, dueDay: 31 } },
      { reporting: { dueDay: { month: 1, quarter: 31, half: 25, nine_months: 25, year: 30 } } },
      { reporting: { dueDay: {} } },
      { cityId: 'a' },
      { cityId: `h${'a'.repeat(62)}` },
    ]) {
      expect([city, validateContract(created(city))]).toEqual([city, { valid: true, errors: [] }]);
    }
  });

  it('reject a city status, level or id the registry does not know', () => {
    expect(rejects(created({ status: 'closed' }))).toEqual(['data/city/status: must be one of "active", "suspended"']);
    expect(rejects(created({ level: 'commune' }))).toEqual(['data/city/level: must be one of "province", "city"']);
    for (const cityId of ['Quang-Ninh', '-quang-ninh', 'quảng-ninh', 'quang_ninh', '', `h${'a'.repeat(63)}`]) {
      expect([cityId, rejects(created({ cityId }))[0]]).toEqual([cityId, 'data/city/cityId: must match pattern "^[a-z0-9][a-z0-9-]{0,62}$"']);
    }
  });

  it('reject an accidental field, on the city or in its reporting calendar', () => {
    expect(rejects({ type: CITY_CREATED_V1, data: { ...cityCreated(), cityId: 'quang-ninh' } })).toEqual(['data: unexpected property "cityId"']);
    expect(rejects(created({ population: 1_362_900 }))).toEqual(['data/city: unexpected property "population"']);
    expect(rejects(created({ reporting: { cutoffDay: 15, sendingDay: 20 } }))).toEqual(['data/city/reporting: unexpected property "sendingDay"']);
    expect(rejects(created({ reporting: { dueDay: { 'half-year': 25 } } }))).toEqual(['data/city/reporting/dueDay: unexpected property "half-year"']);
    const { timeZone: _tz, ...withoutTimeZone } = cityCreated().city;
    expect(rejects({ type: CITY_CREATED_V1, data: { ...cityCreated(), city: withoutTimeZone } })).toEqual(['data/city: missing property "timeZone"']);
  });

  it('reject days and due-soon days out of range, or not whole', () => {
    expect(rejects(created({ dueSoonDays: 61 }))).toEqual(['data/city/dueSoonDays: must be <= 60']);
    expect(rejects(created({ dueSoonDays: -1 }))).toEqual(['data/city/dueSoonDays: must be >= 0']);
    expect(rejects(created({ dueSoonDays: 2.5 }))).toEqual(['data/city/dueSoonDays: must be integer']);
    expect(rejects(created({ reporting: { cutoffDay: 29 } }))).toEqual(['data/city/reporting/cutoffDay: must be <= 28']);
    expect(rejects(created({ reporting: { cutoffDay: 0 } }))).toEqual(['data/city/reporting/cutoffDay: must be >= 1']);
    expect(rejects(created({ reporting: { dueDay: 32 } }))).toEqual(['data/city/reporting/dueDay: must be <= 31']);
    expect(rejects(created({ reporting: { dueDay: '20' } }))).toEqual(['data/city/reporting/dueDay: must be integer,object']);
    expect(rejects(created({ reporting: { dueDay: { quarter: 0 } } }))).toEqual(['data/city/reporting/dueDay/quarter: must be >= 1']);
    expect(rejects(created({ reporting: null }))).toEqual(['data/city/reporting: must be object']);
  });

  it('name at least one changed setting, each once and each a setting', () => {
    const changed = (names: unknown) => ({ type: CITY_SETTINGS_CHANGED_V1, data: { ...citySettingsChanged(), changed: names } });
    expect(validateContract(changed(['name', 'level', 'timeZone', 'dueSoonDays', 'reporting', 'identityProvider']))).toEqual({ valid: true, errors: [] });
    expect(rejects(changed([]))).toEqual(['data/changed: must NOT have fewer than 1 items']);
    expect(rejects(changed(['status']))[0]).toMatch(
      /^data\/changed\/0: must be one of "name", "level", "timeZone", "dueSoonDays", "reporting", "identityProvider"$/,
    );
    expect(rejects(changed(['name', 'name']))[0]).toMatch(/^data\/changed: must NOT have duplicate items/);
  });

  it("carry the city's own identity provider whole, or null", () => {
    const provider = (identityProvider: unknown) => ({ type: CITY_CREATED_V1, data: { ...cityCreated(), city: { ...cityCreated().city, identityProvider } } });
    expect(
      validateContract(
        provider({ issuer: 'https://sso.quangninh.gov.vn/realms/qn', audience: 'mandate', jwksUrl: null, claims: { city: 'c', role: 'r', agency: 'a' } }),
      ),
    ).toEqual({ valid: true, errors: [] });
    expect(rejects(provider({ issuer: 'https://sso.quangninh.gov.vn/realms/qn', audience: 'mandate', jwksUrl: null }))).toEqual([
      'data/city/identityProvider: missing property "claims"',
    ]);
    expect(rejects(provider({ issuer: 'sso.quangninh.gov.vn', audience: 'mandate', jwksUrl: null, claims: { city: 'c', role: 'r', agency: 'a' } }))[0]).toMatch(
      /^data\/city\/identityProvider\/issuer: must match pattern/,
    );
    const { identityProvider: _none, ...without } = cityCreated().city;
    expect(rejects({ type: CITY_CREATED_V1, data: { ...cityCreated(), city: without } })).toEqual(['data/city: missing property "identityProvider"']);
  });

  it('say why, when (an instant) and who', () => {
    expect(rejects({ type: CITY_SUSPENDED_V1, data: { ...citySuspended(), reason: '' } })).toEqual(['data/reason: must NOT have fewer than 1 characters']);
    expect(rejects({ type: CITY_RESUMED_V1, data: { ...cityResumed(), resumedAt: '2025-07-01' } })).toEqual(['data/resumedAt: must match format "date-time"']);
    expect(rejects({ type: CITY_CREATED_V1, data: { ...cityCreated(), actor: { userId: 'u-operator', role: 'operator' } } })).toEqual([
      'data/actor: missing property "agencyId"',
    ]);
  });

  it('are read by cityOfContract, which reads nothing from another type', () => {
    expect(cityOfContract({ type: CITY_CREATED_V1, data: cityCreated() })).toEqual(cityCreated().city);
    expect(cityOfContract({ type: CITY_SETTINGS_CHANGED_V1, data: citySettingsChanged() })).toEqual(citySettingsChanged().city);
    expect(cityOfContract({ type: CITY_SUSPENDED_V1, data: citySuspended() })).toMatchObject({ cityId: 'hai-phong', status: 'suspended' });
    expect(cityOfContract({ type: CITY_RESUMED_V1, data: cityResumed() })).toMatchObject({ cityId: 'hai-phong', status: 'active' });
    expect(cityOfContract({ type: TASK_ASSIGNED_V1, data: taskAssigned() })).toBeNull();
    expect(cityOfContract({ type: REPORT_SUBMITTED_V1, data: reportSubmitted() })).toBeNull();
  });

  it("travel as the platform's events about a city stream", () => {
    expect(validateCloudEvent(cityEvent())).toEqual({ valid: true, errors: [] });
    for (const type of cityTypes) {
      const event = cityEvent({ type, subject: `city-${samples[type]().city.cityId}`, data: samples[type]() });
      expect([type, validateCloudEvent(event)]).toEqual([type, { valid: true, errors: [] }]);
    }
    expect(validateCloudEvent(cityEvent({ subject: `plan-${PLAN_ID}` })).errors).toEqual([
      `/subject: "plan-${PLAN_ID}" is not a city stream, as type ${CITY_CREATED_V1} requires`,
    ]);
    expect(validateCloudEvent(cityEvent({ subject: 'city-Quang-Ninh' })).errors[0]).toMatch(/^\/subject: must match pattern/);
    expect(validateCloudEvent(cityEvent({ source: '/mandate/platform/reporting' })).errors).toEqual([
      `/source: "/mandate/platform/reporting" does not name the service that publishes ${CITY_CREATED_V1} (expected /mandate/platform/plans)`,
    ]);
  });
});

describe('validateCloudEvent', () => {
  it('accepts a well-formed event', () => {
    expect(validateCloudEvent(envelope())).toEqual({ valid: true, errors: [] });
  });

  it('requires every attribute', () => {
    for (const attribute of cloudEventSchema.required) {
      const { [attribute]: _gone, ...event } = envelope() as Record<string, unknown>;
      expect(validateCloudEvent(event).errors).toContain(`/: missing property "${attribute}"`);
    }
  });

  it.each([
    ['specversion', '1.1', '/specversion: must be "1.0"'],
    ['datacontenttype', 'application/xml', '/datacontenttype: must be "application/json"'],
    ['id', 'task-1', '/id: must match format "uuid"'],
    ['time', 'yesterday', '/time: must match format "date-time"'],
    ['sequence', '0', '/sequence: must match pattern "^[1-9][0-9]*$"'],
    ['sequence', 3, '/sequence: must be string'],
    ['cityid', 'Ha-Noi', '/cityid: must match pattern "^[a-z0-9][a-z0-9-]*$"'],
    ['subject', 'task-42', '/subject: must match pattern'],
    ['type', 'TaskStatusChanged', '/type: must match pattern'],
  ])('rejects %s %j', (attribute, value, message) => {
    const { errors } = validateCloudEvent(envelope({ [attribute]: value }));
    expect(errors.some((e) => e.startsWith(message))).toBe(true);
  });

  it('rejects a camelCase attribute (extension names are lowercase alphanumerics)', () => {
    expect(validateCloudEvent(envelope({ cityId: 'ha-noi' })).errors).toEqual(['/: attribute name "cityId" is not lowercase alphanumeric']);
  });

  it('checks data against the schema of the type', () => {
    expect(validateCloudEvent(envelope({ data: { ...taskStatusChanged(), extra: true } })).errors).toEqual(['/data: unexpected property "extra"']);
    expect(validateCloudEvent(envelope({ type: TASK_ISSUED_V1 })).valid).toBe(false);
  });

  it('checks what one attribute says against another', () => {
    expect(validateCloudEvent(envelope({ source: '/mandate/hai-phong/plans' })).errors).toEqual([
      '/source: "/mandate/hai-phong/plans" does not name city "ha-noi" (expected /mandate/ha-noi/plans)',
    ]);
    expect(validateCloudEvent(envelope({ subject: `plan-${PLAN_ID}` })).errors).toEqual([
      `/subject: "plan-${PLAN_ID}" is not a task stream, as type ${TASK_STATUS_CHANGED_V1} requires`,
    ]);
  });

  it('takes a report event from the reporting service, about a report stream', () => {
    const report = (overrides: Record<string, unknown> = {}) =>
      envelope({ type: REPORT_SUBMITTED_V1, source: '/mandate/ha-noi/reporting', subject: `report-${REPORT_ID}`, data: reportSubmitted(), ...overrides });
    expect(validateCloudEvent(report())).toEqual({ valid: true, errors: [] });
    expect(validateCloudEvent(report({ source: '/mandate/ha-noi/plans' })).errors).toEqual([
      `/source: "/mandate/ha-noi/plans" does not name the service that publishes ${REPORT_SUBMITTED_V1} (expected /mandate/ha-noi/reporting)`,
    ]);
    expect(validateCloudEvent(envelope({ source: '/mandate/ha-noi/reporting' })).errors).toEqual([
      `/source: "/mandate/ha-noi/reporting" does not name the service that publishes ${TASK_STATUS_CHANGED_V1} (expected /mandate/ha-noi/plans)`,
    ]);
    expect(validateCloudEvent(report({ subject: `task-${TASK_ID}` })).errors).toEqual([
      `/subject: "task-${TASK_ID}" is not a report stream, as type ${REPORT_SUBMITTED_V1} requires`,
    ]);
    expect(validateCloudEvent(report({ source: '/mandate/ha-noi/notifications' })).errors[0]).toMatch(/^\/source: must match pattern/);
  });

  it('rejects what is not an object', () => {
    expect(validateCloudEvent(null).valid).toBe(false);
    expect(validateCloudEvent('event').valid).toBe(false);
  });
});

describe('retired contracts', () => {
  it('are task.issued v1 and v2, status-changed v1, plan.issued v1, plan.amended v1 and task.assigned v1, each retired for the current version on the same topic', () => {
    expect(RETIRED_CONTRACTS).toEqual({
      [TASK_ISSUED_V1]: { since: '2026-12-02', replacedBy: TASK_ISSUED_V3 },
      [TASK_STATUS_CHANGED_V1]: { since: '2026-12-02', replacedBy: TASK_STATUS_CHANGED_V2 },
      [TASK_ISSUED_V2]: { since: '2026-12-07', replacedBy: TASK_ISSUED_V3 },
      [PLAN_ISSUED_V1]: { since: '2026-12-07', replacedBy: PLAN_ISSUED_V2 },
      [PLAN_AMENDED_V1]: { since: '2026-12-07', replacedBy: PLAN_AMENDED_V2 },
      [TASK_ASSIGNED_V1]: { since: '2026-12-08', replacedBy: TASK_ASSIGNED_V2 },
    });
    for (const [retired, { replacedBy }] of Object.entries(RETIRED_CONTRACTS)) {
      expect(CONTRACT_TOPICS[replacedBy]).toBe(CONTRACT_TOPICS[retired as keyof typeof RETIRED_CONTRACTS]);
      expect(replacedBy in RETIRED_CONTRACTS).toBe(false);
    }
  });

  it('stay readable: their schemas still validate their messages', () => {
    for (const type of Object.keys(RETIRED_CONTRACTS) as (keyof typeof RETIRED_CONTRACTS)[]) {
      expect([type, validateContract({ type, data: samples[type]() })]).toEqual([type, { valid: true, errors: [] }]);
    }
  });
});

describe('plans without a number across versions', () => {
  it('read plan.issued and plan.amended v1 as v2, and v2 (number and date null) as it is', () => {
    expect(planIssuedOf({ type: PLAN_ISSUED_V1, data: planIssued() })).toEqual(planIssued());
    expect(validateContract({ type: PLAN_ISSUED_V2, data: planIssued() })).toEqual({ valid: true, errors: [] });
    expect(planIssuedOf({ type: PLAN_ISSUED_V2, data: planIssuedV2() })).toMatchObject({ number: null, issuedOn: null });
    expect(planAmendedOf({ type: PLAN_AMENDED_V1, data: planAmended() })).toEqual(planAmended());
    expect(planAmendedOf({ type: PLAN_AMENDED_V2, data: planAmendedV2() })).toMatchObject({ number: null });
    expect(planIssuedOf({ type: PLAN_AMENDED_V2, data: planAmendedV2() })).toBeNull();
    expect(planAmendedOf({ type: PLAN_ISSUED_V2, data: planIssuedV2() })).toBeNull();
  });

  it('refuse a null number in v1 (its consumers never expect one)', () => {
    expect(rejects({ type: PLAN_ISSUED_V1, data: planIssuedV2() }).length).toBeGreaterThan(0);
    expect(rejects({ type: TASK_ISSUED_V2, data: taskIssuedV3() }).length).toBeGreaterThan(0);
  });
});

describe('issued tasks across versions', () => {
  it('read a v3 message (plan without a number) as it is', () => {
    const data = taskIssuedV3();
    expect(taskIssuedOf({ type: TASK_ISSUED_V3, data, time: '2030-01-01T00:00:00.000Z' })).toEqual(data);
  });

  it('read a v2 message as it is', () => {
    const data = taskIssuedV2();
    expect(taskIssuedOf({ type: TASK_ISSUED_V2, data, time: '2030-01-01T00:00:00.000Z' })).toEqual(data);
  });

  it('read a v1 message in the v2 shape: what it did not carry as null, issued when the envelope says', () => {
    const v1 = taskIssued();
    const read = taskIssuedOf({ type: TASK_ISSUED_V1, data: v1, time: '2021-09-01T02:00:00.000Z' });
    expect(read).toStrictEqual({ ...v1, group: null, deliverable: null, supervisor: null, note: null, issuedAt: '2021-09-01T02:00:00.000Z' });
    expect(validateContract({ type: TASK_ISSUED_V2, data: read })).toEqual({ valid: true, errors: [] });
  });

  it('read a v1 message without its envelope time as issued at an unknown instant', () => {
    expect(taskIssuedOf({ type: TASK_ISSUED_V1, data: taskIssued() })).toMatchObject({ taskId: TASK_ID, issuedAt: null });
  });

  it('read nothing from another type', () => {
    expect(taskIssuedOf({ type: TASK_STATUS_CHANGED_V2, data: taskStatusChangedV2() })).toBeNull();
    expect(taskIssuedOf({ type: TASK_REVISED_V1, data: taskRevised() })).toBeNull();
  });
});

describe('status changes across versions', () => {
  it('name every v1 code in v2, renaming only pending_confirmation and suspended', () => {
    expect(Object.keys(TASK_STATUS_V1_TO_V2)).toEqual([...TASK_STATUS_CODES]);
    for (const code of Object.values(TASK_STATUS_V1_TO_V2)) expect(TASK_STATUS_CODES_V2).toContain(code);
    expect(Object.entries(TASK_STATUS_V1_TO_V2).filter(([v1, v2]) => v1 !== v2)).toEqual([
      ['pending_confirmation', 'submitted'],
      ['suspended', 'paused'],
    ]);
  });

  it('read a v2 message as it is', () => {
    const data = taskStatusChangedV2();
    expect(taskStatusChangeOf({ type: TASK_STATUS_CHANGED_V2, data })).toEqual(data);
  });

  it.each([
    ['in_progress', 'pending_confirmation', 'in_progress', 'submitted'],
    ['pending_confirmation', 'completed', 'submitted', 'completed'],
    ['in_progress', 'suspended', 'in_progress', 'paused'],
    ['suspended', 'in_progress', 'paused', 'in_progress'],
    ['not_started', 'in_progress', 'not_started', 'in_progress'],
  ])('read a v1 change %s -> %s as %s -> %s, every other field kept', (from, to, fromV2, toV2) => {
    const v1 = { ...taskStatusChanged(), from, to };
    const read = taskStatusChangeOf({ type: TASK_STATUS_CHANGED_V1, data: v1 });
    expect(read).toEqual({ ...v1, from: fromV2, to: toV2 });
    expect(validateContract({ type: TASK_STATUS_CHANGED_V2, data: read })).toEqual({ valid: true, errors: [] });
  });

  it('read nothing from another type', () => {
    expect(taskStatusChangeOf({ type: TASK_ISSUED_V1, data: taskIssued() })).toBeNull();
    expect(taskStatusChangeOf({ type: TASK_ISSUED_V2, data: taskIssuedV2() })).toBeNull();
  });
});
