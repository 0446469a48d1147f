// docs/events.md, the events catalogue, is generated from the contracts' schemas and examples; this
// test fails when it is out of date (UPDATE_DOCS=1 rewrites it).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { contractExamples } from './examples';
import { ALL_CONTRACT_TOPICS, contractSchemaFiles, contractSchemas, RETIRED_CONTRACTS, validateCloudEvent, validateContract, type MandateContract } from './index';

const CATALOGUE = path.resolve(__dirname, '../../../../docs/events.md');
type Type = MandateContract['type'];

const cloudEventOf = (type: Type, data: unknown) => {
  const { reportId, taskId, planId } = data as { reportId?: string; taskId?: string; planId: string };
  return {
    specversion: '1.0',
    id: '0b6f1c1e-7d7a-4f0e-9a53-2f1f3c0f2a11',
    type,
    source: reportId ? '/mandate/ha-noi/reporting' : '/mandate/ha-noi/plans',
    subject: reportId ? `report-${reportId}` : taskId ? `task-${taskId}` : `plan-${planId}`,
    time: '2021-09-01T02:00:00.000Z',
    datacontenttype: 'application/json',
    cityid: 'ha-noi',
    correlationid: '5f1d7c2e-3b9a-4e8f-9c1d-2a7b6e4f8d10',
    sequence: '3',
    data,
  };
};

const catalogue = (): string => {
  const types = (Object.keys(contractExamples) as Type[]).sort();
  const lines = [
    '# Events catalogue',
    '',
    '<!-- Generated from libs/plans/contracts (schemas and examples) by libs/plans/contracts/src/events-catalogue.unit.spec.ts; run the test with UPDATE_DOCS=1 to rewrite. -->',
    '',
    'Every integration event the plans service (plans and tasks) and the reporting service (agency reports)',
    'publish, one example each, as the structured CloudEvent a webhook receives (on Kafka the attributes travel',
    'as `ce_` headers and the value is `data`; the event feed `GET /api/v1/events` adds a `position`). The',
    'AsyncAPI document is `docs/asyncapi.yaml` (served at `GET /api/v1/asyncapi.yaml`); each schema is served',
    'at `GET /api/v1/schemas/<file>`.',
    '',
    '| type | topic | status |',
    '|---|---|---|',
    ...types.map((type) => {
      const retired = RETIRED_CONTRACTS[type as keyof typeof RETIRED_CONTRACTS];
      return `| [\`${type}\`](#${type.replace(/\./g, '')}) | \`${ALL_CONTRACT_TOPICS[type]}\` | ${retired ? `retired ${retired.since}, replaced by \`${retired.replacedBy}\`; still read` : 'published'} |`;
    }),
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
