import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import {
  ALL_CONTRACT_TOPICS,
  CITIES_TOPIC,
  contractSchemaFiles,
  contractSchemas,
  kafkaHeadersSchema,
  PLANS_TOPIC,
  REPORTS_TOPIC,
  RETIRED_CONTRACTS,
  TASKS_TOPIC,
} from './index';

type Node = Record<string, any>;

const DOC_PATH = path.resolve(__dirname, '../../../../docs/asyncapi.yaml');
const doc = parse(fs.readFileSync(DOC_PATH, 'utf8')) as Node;
const SCHEMA_DIR = path.join(__dirname, 'schemas');

/** Resolves a `$ref` as a tool would: `#/…` in this document, anything else a file relative to it. */
const resolve = (ref: string): unknown => {
  const [file, pointer = ''] = ref.split('#');
  const root = file ? JSON.parse(fs.readFileSync(path.resolve(path.dirname(DOC_PATH), file), 'utf8')) : doc;
  return pointer
    .split('/')
    .filter(Boolean)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, key) => (node as Node | undefined)?.[key], root);
};
const deref = (node: Node): Node => (node.$ref ? (resolve(node.$ref) as Node) : node);
const refs = (node: unknown): string[] =>
  Array.isArray(node)
    ? node.flatMap(refs)
    : typeof node === 'object' && node !== null
      ? Object.entries(node).flatMap(([k, v]) => (k === '$ref' ? [v as string] : refs(v)))
      : [];

const channels = Object.values(doc.channels) as Node[];
const channelOf = (address: string) => channels.find((c) => c.address === address);
const messagesOf = (channel: Node) => Object.values(channel.messages as Node).map(deref);
const types = Object.keys(ALL_CONTRACT_TOPICS) as (keyof typeof ALL_CONTRACT_TOPICS)[];

describe('docs/asyncapi.yaml', () => {
  it('is an AsyncAPI 3.0.0 document about Mandate', () => {
    expect(doc.asyncapi).toBe('3.0.0');
    expect(doc.info).toMatchObject({ title: 'Mandate', version: expect.any(String) });
    expect(doc.info.description).toMatch(/cityid/);
    expect(doc.info.description).toMatch(/binary content mode/);
    expect(doc.info.description).toMatch(/\.v2/);
    expect(doc.defaultContentType).toBe('application/json');
  });

  it('has a development kafka server and a production one', () => {
    expect(doc.servers.kafka).toMatchObject({ host: '127.0.0.1:9092', protocol: 'kafka' });
    expect(doc.servers.production.protocol).toMatch(/^kafka/);
  });

  it('resolves every $ref', () => {
    const all = refs(doc);
    expect(all.length).toBeGreaterThan(0);
    for (const ref of all) expect([ref, resolve(ref) !== undefined]).toEqual([ref, true]);
  });

  it('has a channel for every topic of the contracts lib and its dead-letter twin, 3 partitions each', () => {
    const topics = [...new Set(Object.values(ALL_CONTRACT_TOPICS))].sort();
    expect(topics).toEqual([PLANS_TOPIC, TASKS_TOPIC, REPORTS_TOPIC, CITIES_TOPIC].sort());
    expect(channels.map((c) => c.address).sort()).toEqual(topics.flatMap((t) => [t, `${t}.dlq`]).sort());
    for (const channel of channels) expect(channel.bindings.kafka).toMatchObject({ topic: channel.address, partitions: 3 });
  });

  it.each(types)('carries %s on its topic and the topic’s .dlq, and nowhere else', (type) => {
    const carrying = channels.filter((c) => messagesOf(c).some((m) => m.name === type)).map((c) => c.address);
    expect(carrying.sort()).toEqual([ALL_CONTRACT_TOPICS[type], `${ALL_CONTRACT_TOPICS[type]}.dlq`].sort());
  });

  it('names no type the contracts lib does not know', () => {
    const named = new Set((Object.values(doc.components.messages) as Node[]).map((m) => m.name));
    expect([...named].sort()).toEqual([...types].sort());
  });

  describe.each(types)('%s', (type) => {
    const messages = (Object.values(doc.components.messages) as Node[]).filter((m) => m.name === type);
    const aggregate = type.split('.')[2];

    it('takes its payload from the contract schema file, the one validateContract uses (no drift)', () => {
      expect(messages).toHaveLength(2);
      for (const m of messages) {
        expect(m.payload.schemaFormat).toBe('application/schema+json;version=draft-07');
        expect(m.payload.schema.$ref).toBe(`../libs/plans/contracts/src/schemas/${contractSchemaFiles[type]}`);
        expect(resolve(m.payload.schema.$ref)).toEqual(contractSchemas[type]);
        expect(fs.existsSync(path.join(SCHEMA_DIR, contractSchemaFiles[type]))).toBe(true);
      }
    });

    it('takes its headers from the CloudEvents header schema, with its own ce_type and subject', () => {
      for (const m of messages) {
        const [shared, own] = m.headers.allOf as Node[];
        expect(resolve(shared.$ref)).toEqual(kafkaHeadersSchema);
        expect(own.properties.ce_type).toEqual({ const: type });
        expect(own.properties.ce_subject.pattern).toMatch(new RegExp(`^\\^${aggregate}-`));
        expect(m.contentType).toBe('application/json');
      }
    });

    it('is keyed by its stream id, as ce_subject', () => {
      for (const m of messages) {
        const key = m.bindings.kafka.key;
        expect(key.pattern).toBe(m.headers.allOf[1].properties.ce_subject.pattern);
        expect(new RegExp(key.pattern).test(`${aggregate}-b9f0c7e4-0000-4000-8000-000000000001`)).toBe(true);
      }
    });

    it('adds the dead-letter headers on the .dlq channel only', () => {
      const [live, dead] = [channelOf(ALL_CONTRACT_TOPICS[type])!, channelOf(`${ALL_CONTRACT_TOPICS[type]}.dlq`)!].map((c) =>
        messagesOf(c).find((m) => m.name === type)!,
      );
      expect(refs(live.headers)).not.toContain('#/components/schemas/deadLetterHeaders');
      const dlq = deref(dead.headers.allOf[2]);
      expect(dlq.required).toEqual(expect.arrayContaining(['x-dlq-error', 'x-dlq-attempts', 'x-dlq-group', 'x-dlq-failed-at']));
    });
  });

  it('has the cities topic compacted, its messages from the platform (cityid platform, source /mandate/platform/plans)', () => {
    const cities = channelOf(CITIES_TOPIC)!;
    expect(cities.bindings.kafka.topicConfiguration['cleanup.policy']).toEqual(['compact']);
    expect(cities.description).toMatch(/from the\s+beginning at start/);
    const cityTypes = types.filter((t) => ALL_CONTRACT_TOPICS[t] === CITIES_TOPIC);
    expect(cityTypes).toHaveLength(5);
    for (const m of (Object.values(doc.components.messages) as Node[]).filter((m) => cityTypes.includes(m.name))) {
      expect(m.headers.allOf[1].properties).toMatchObject({ ce_cityid: { const: 'platform' }, ce_source: { const: '/mandate/platform/plans' } });
      const key = new RegExp(m.bindings.kafka.key.pattern);
      expect(['city-hai-phong', 'city-quang-ninh'].every((k) => key.test(k))).toBe(true);
      expect(['city-', 'city-Hai-Phong', 'city--x', 'plan-hai-phong'].some((k) => key.test(k))).toBe(false);
    }
  });

  it('has the plans and reporting services send, and the assignments, reporting-feed and notifications groups receive', () => {
    const ops = Object.values(doc.operations) as Node[];
    const addressOf = (op: Node) => deref(op.channel).address;
    const sends = ops.filter((o) => o.action === 'send' && !addressOf(o).endsWith('.dlq')).map(addressOf);
    expect(sends.sort()).toEqual([PLANS_TOPIC, TASKS_TOPIC, REPORTS_TOPIC, CITIES_TOPIC].sort());
    const receives = ops
      .filter((o) => o.action === 'receive')
      .map((o) => `${o.bindings.kafka.groupId.enum[0]} <- ${addressOf(o)}`)
      .sort();
    expect(receives).toEqual(
      [
        `assignments <- ${TASKS_TOPIC}`,
        `notifications <- ${PLANS_TOPIC}`,
        `notifications <- ${TASKS_TOPIC}`,
        `reporting-feed <- ${PLANS_TOPIC}`,
        `reporting-feed <- ${TASKS_TOPIC}`,
      ].sort(),
    );
    // An operation's messages are those of its channel.
    for (const op of ops) for (const m of op.messages as Node[]) expect(m.$ref.startsWith(`${op.channel.$ref}/messages/`)).toBe(true);
  });

  it('has the publishing service send every type of a topic but the retired ones, and every consumer group and dead-letter parking take them all', () => {
    const ops = Object.values(doc.operations) as Node[];
    const namesOf = (op: Node) => (op.messages as Node[]).map((m) => deref(deref(m)).name as string).sort(); // operation -> channel -> components
    for (const op of ops) {
      const address = deref(op.channel).address as string;
      const topic = address.replace(/\.dlq$/, '');
      const all = types.filter((t) => ALL_CONTRACT_TOPICS[t] === topic);
      const published = all.filter((t) => !(t in RETIRED_CONTRACTS));
      const expected = op.action === 'send' && !address.endsWith('.dlq') ? published : all;
      expect([op.summary, namesOf(op)]).toEqual([op.summary, [...expected].sort()]);
    }
  });

  it('marks the retired types deprecated, with when and by what, and nothing else', () => {
    const messages = Object.values(doc.components.messages) as Node[];
    for (const m of messages) {
      const retired = RETIRED_CONTRACTS[m.name as keyof typeof RETIRED_CONTRACTS] as { since: string; replacedBy: string } | undefined;
      expect([m.title, m.deprecated ?? false]).toEqual([m.title, retired !== undefined]);
      if (retired) for (const said of [retired.since, retired.replacedBy]) expect(m.summary).toContain(said);
    }
    expect(messages.filter((m) => m.deprecated)).toHaveLength(Object.keys(RETIRED_CONTRACTS).length * 2);
  });
});
