// docs/events.md, the events catalogue, is generated from the contracts' schemas and examples; this
// test fails when it is out of date (UPDATE_DOCS=1 rewrites it).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { contractExamples } from './examples';
import {
  ALL_CONTRACT_TOPICS,
  CITIES_TOPIC,
  cityOfContract,
  contractSchemaFiles,
  contractSchemas,
  PLANS_TOPIC,
  REPORTS_TOPIC,
  RETIRED_CONTRACTS,
  TASKS_TOPIC,
  validateCloudEvent,
  validateContract,
  type MandateContract,
} from './index';

const CATALOGUE = path.resolve(__dirname, '../../../../docs/events.md');
type Type = MandateContract['type'];

const cloudEventOf = (type: Type, data: unknown) => {
  const { reportId, taskId, planId } = data as { reportId?: string; taskId?: string; planId: string };
  // The operator's city events come from the platform's log, not from a city's, at the instant their data names.
  const city = cityOfContract({ type, data });
  const cityid = city ? 'platform' : 'ha-noi';
  const at = city ? Object.entries(data as Record<string, unknown>).find(([k]) => k.endsWith('At'))?.[1] : undefined;
  return {
    specversion: '1.0',
    id: '0b6f1c1e-7d7a-4f0e-9a53-2f1f3c0f2a11',
    type,
    source: reportId ? `/mandate/${cityid}/reporting` : `/mandate/${cityid}/plans`,
    subject: city ? `city-${city.cityId}` : reportId ? `report-${reportId}` : taskId ? `task-${taskId}` : `plan-${planId}`,
    time: (at as string | undefined) ?? '2021-09-01T02:00:00.000Z',
    datacontenttype: 'application/json',
    cityid,
    correlationid: '5f1d7c2e-3b9a-4e8f-9c1d-2a7b6e4f8d10',
    sequence: '3',
    data,
  };
};

/** The topics, in the catalogue's order: topic, publisher, key, what it carries. */
const TOPICS: readonly (readonly [string, string, string, string])[] = [
  [PLANS_TOPIC, 'plans service', 'plan-<planId>', 'Plans and directives of a city.'],
  [TASKS_TOPIC, 'plans service', 'task-<taskId>', 'The tasks of the plans.'],
  [REPORTS_TOPIC, 'reporting service', 'report-<reportId>', 'Agency reports on plans (báo cáo định kỳ).'],
  [CITIES_TOPIC, 'plans service (operator log)', 'city-<cityId>', "The cities the deployment serves; compacted, each message the city's whole state."],
];

const catalogue = (): string => {
  const types = (Object.keys(contractExamples) as Type[]).sort();
  const lines = [
    '# Events catalogue',
    '',
    '<!-- Generated from libs/plans/contracts (schemas and examples) by libs/plans/contracts/src/events-catalogue.unit.spec.ts; run the test with UPDATE_DOCS=1 to rewrite. -->',
    '',
    'Every integration event the plans service (plans, tasks and the cities the deployment serves) and the',
    'reporting service (agency reports) publish, one example each, as the structured CloudEvent a webhook',
    'receives (on Kafka the attributes travel as `ce_` headers and the value is `data`; the event feed',
    '`GET /api/v1/events` adds a `position`). The AsyncAPI document is `docs/asyncapi.yaml` (served at',
    '`GET /api/v1/asyncapi.yaml`); each schema is served at `GET /api/v1/schemas/<file>`.',
    '',
    '| type | topic | status |',
    '|---|---|---|',
    ...types.map((type) => {
      const retired = RETIRED_CONTRACTS[type as keyof typeof RETIRED_CONTRACTS];
      return `| [\`${type}\`](#${type.replace(/\./g, '')}) | \`${ALL_CONTRACT_TOPICS[type]}\` | ${retired ? `retired ${retired.since}, replaced by \`${retired.replacedBy}\`; still read` : 'published'} |`;
    }),
    '',
    '## Topics',
    '',
    '| topic | publisher | key (= subject) | what |',
    '|---|---|---|---|',
    ...TOPICS.map(([topic, publisher, key, what]) => `| \`${topic}\` | ${publisher} | \`${key}\` | ${what} |`),
    '',
    "The cities topic is the registry of the cities the deployment serves, from the platform operator's log",
    "(not from a city's): its events carry `cityid` `platform` and `source` `/mandate/platform/plans`, and the",
    "subject and key `city-<cityId>`. It is compacted by key, and each message carries the city's whole state",
    'after the change (settings and status), so the last message of a key is all there is to know about the',
    'city: every process reads the topic from the beginning at start to know the cities served.',
    '',
  ];
  for (const type of types) {
    const schema = contractSchemas[type] as { description?: string };
    lines.push(
      `## ${type}`,
      '',
      schema.description ?? '',
      '',
      `Topic \`${ALL_CONTRACT_TOPICS[type]}\`, key the subject; schema \`${contractSchemaFiles[type]}\`.`,
      '',
      '```json',
      JSON.stringify(cloudEventOf(type, contractExamples[type]()), null, 2),
      '```',
      '',
    );
  }
  return lines.join('\n');
};

describe('The events catalogue (docs/events.md)', () => {
  it('lists every topic of the contracts once', () => {
    expect(TOPICS.map(([topic]) => topic).sort()).toEqual([...new Set(Object.values(ALL_CONTRACT_TOPICS))].sort());
  });

  it('has an example of every contract type, valid against its schema', () => {
    expect(Object.keys(contractExamples).sort()).toEqual(Object.keys(ALL_CONTRACT_TOPICS).sort());
    for (const [type, example] of Object.entries(contractExamples)) {
      const event = cloudEventOf(type as Type, example());
      expect(validateCloudEvent(event)).toEqual({ valid: true, errors: [] });
      expect(validateContract(event)).toEqual({ valid: true, errors: [] });
    }
  });

  it('is up to date with the schemas and examples', () => {
    const expected = catalogue();
    if (process.env.UPDATE_DOCS === '1') fs.writeFileSync(CATALOGUE, expected);
    expect(fs.readFileSync(CATALOGUE, 'utf8')).toBe(expected);
  });
});
