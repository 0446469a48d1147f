import * as fs from 'node:fs';
import * as path from 'node:path';
import { listDocuments, TRUTH_SUFFIX, truthProblems } from './parse-report';

const CORPUS = path.resolve(__dirname, '../../../libs/plan-import/fixtures/corpus');

const valid = {
  number: '06/CT-UBND',
  issuedOn: '2025-11-25',
  issuer: 'Ủy ban nhân dân tỉnh Quảng Trị',
  genre: 'chi-thi',
  tasks: { min: 18, max: 22 },
  sample: [{ titleStartsWith: 'Tăng cường quản lý', lead: 'Sở Nông nghiệp và Môi trường', deadline: null }],
};

describe('corpus truth files', () => {
  const documents = listDocuments(CORPUS);

  it('holds the 12 office documents and the 24 captures', () => {
    expect(documents.filter((d) => d.includes(`${path.sep}documents${path.sep}`))).toHaveLength(12);
    expect(documents.filter((d) => d.includes(`${path.sep}captures${path.sep}`))).toHaveLength(24);
  });

  it.each(listDocuments(CORPUS).map((d) => [path.relative(CORPUS, d)]))('%s has a truth file that fits the schema, with a sane range', (rel) => {
    const file = path.join(CORPUS, `${rel}${TRUTH_SUFFIX}`);
    expect(fs.existsSync(file)).toBe(true);
    const truth = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(truthProblems(truth)).toEqual([]);
    expect(truth.tasks.min).toBeLessThanOrEqual(truth.tasks.max);
    expect(truth.tasks.max).toBeGreaterThan(0);
    expect(truth.sample.length).toBeGreaterThan(0);
  });

  it('has no truth file without its document', () => {
    const orphans = fs
      .readdirSync(CORPUS, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith(TRUTH_SUFFIX))
      .filter((f) => !fs.existsSync(path.join(CORPUS, f.slice(0, -TRUTH_SUFFIX.length))));
    expect(orphans).toEqual([]);
  });
});

describe('truthProblems', () => {
  it('accepts a valid truth, blank number and date included', () => {
    expect(truthProblems(valid)).toEqual([]);
    expect(truthProblems({ ...valid, number: null, issuedOn: null })).toEqual([]);
  });

  it.each([
    ['a range upside down', { ...valid, tasks: { min: 5, max: 4 } }, /tasks/],
    ['a date not ISO', { ...valid, issuedOn: '25/11/2025' }, /issuedOn/],
    ['an empty number (blank is null)', { ...valid, number: '' }, /number/],
    ['six samples', { ...valid, sample: Array(6).fill(valid.sample[0]) }, /sample/],
    ['a misspelt field', { ...valid, task: valid.tasks }, /unknown field "task"/],
    ['a sample without its lead', { ...valid, sample: [{ titleStartsWith: 'Tăng cường quản lý', deadline: null }] }, /lead/],
  ])('refuses %s', (_, truth, problem) => {
    expect(truthProblems(truth).join('; ')).toMatch(problem);
  });
});
