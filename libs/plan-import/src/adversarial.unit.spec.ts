// Documents written to make the importer work hard (issue 17: a 40 KB line of "Sở Sở Sở … chủ trì" held a
// city's requests for 37 s; 1 MB of it, over 8 minutes). Each shape here took the old code from tens of
// seconds to hours — quadratic, cubic or exponential in its size — and takes the importer milliseconds now.
// No timed assertion: each test has a generous Jest timeout that the old code overran many times over,
// and ends by letting timers run, so that a parse that overruns it fails the test instead of passing late.
import { parsePlan } from './parse-plan';
import { resolveSupervisors } from './leaders';
import type { ParsedPlan, ParsedTask } from './parsed-plan';
import { directoryOf } from './test-seeds';

const BUDGET_MS = 10_000;
const directory = directoryOf('hai-phong');

const HEADER = [
  'ỦY BAN NHÂN DÂN',
  'THÀNH PHỐ HẢI PHÒNG',
  'Số: 17/KH-UBND',
  'Hải Phòng, ngày 15 tháng 1 năm 2025',
  'KẾ HOẠCH',
  'THỬ SỨC CHỊU ĐỰNG CỦA BỘ ĐỌC',
  '',
  'Căn cứ tình hình thực tế.',
  'I. NHIỆM VỤ',
  '1. Nhiệm vụ chung',
].join('\n');

const parse = (body: string): ParsedPlan => parsePlan(`${HEADER}\n${body}\n`, { directory, document: 'adversarial.txt' });

/** Runs `work`, then lets timers run: Jest's timeout cannot interrupt synchronous work, only fail it afterwards. */
const bounded = async <T>(work: () => T): Promise<T> => {
  const result = work();
  await new Promise((resolve) => setTimeout(resolve, 0));
  return result;
};

describe('adversarial documents are read in bounded work per line', () => {
  it(
    'a bullet of 10,000 "Sở" before "chủ trì" (the issue\'s line): one task, no lead',
    async () => {
      const plan = await bounded(() => parse(`- ${'Sở '.repeat(10_000)}chủ trì thực hiện.`));
      expect(plan.tasks).toHaveLength(1);
      expect(plan.tasks[0].lead).toBeNull();
    },
    BUDGET_MS,
  );

  it(
    'a bullet repeating an unknown agency and "chủ trì" 400 times',
    async () => {
      const plan = await bounded(() => parse(`- ${'Sở Xyz chủ trì '.repeat(400)}`));
      expect(plan.tasks).toHaveLength(1);
      expect(plan.tasks[0].lead).toBeNull();
    },
    BUDGET_MS,
  );

  it(
    'a comma list of 4,000 agency words before "chủ trì"',
    async () => {
      const plan = await bounded(() => parse(`- ${'Sở, '.repeat(4_000)}chủ trì thực hiện.`));
      expect(plan.tasks).toHaveLength(1);
    },
    BUDGET_MS,
  );

  it(
    'the lead is still found after a long run of text, within the clause',
    async () => {
      const plan = await bounded(() => parse(`- ${'rà soát, '.repeat(5_000)}Sở Tư pháp chủ trì thực hiện.`));
      expect(plan.tasks[0].lead).toMatchObject({ agencyId: 'so-tu-phap', resolution: 'resolved' });
    },
    BUDGET_MS,
  );

  it(
    'a run of punctuation inside an agency name (80,000 commas)',
    async () => {
      const plan = await bounded(() => parse(`- Sở Y tế${','.repeat(80_000)}x chủ trì`));
      expect(plan.tasks).toHaveLength(1);
    },
    BUDGET_MS,
  );

  it(
    '32 lines of table pipes under "CHỦ TỊCH" with no name after them',
    async () => {
      const plan = await bounded(() => parse(`- Sở Y tế chủ trì.\nCHỦ TỊCH\n${'|\n'.repeat(32)}x`));
      expect(plan.document.signer).toBeNull();
    },
    BUDGET_MS,
  );

  it(
    'the signer is still read past blank and pipe lines',
    async () => {
      const plan = await bounded(() => parse(`- Sở Y tế chủ trì.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH |\n|\n\n|\nLê Văn Tám |`));
      expect(plan.document.signer).toBe('Lê Văn Tám');
    },
    BUDGET_MS,
  );

  it(
    'a numbered line repeating "chỉ tiêu" 16,000 times with no year',
    async () => {
      const plan = await bounded(() => parse(`1. ${'chỉ tiêu '.repeat(16_000)}`));
      expect(plan.indicators).toEqual([]);
    },
    BUDGET_MS,
  );

  it(
    'a prose indicator holding a 128,000-digit number',
    async () => {
      const plan = await bounded(() => parse(`2. Các chỉ tiêu đến năm 2025\n(1) ${'1'.repeat(128_000)}x\n(2) Tỷ lệ hộ nghèo còn 1,5%`));
      expect(plan.indicators.map((indicator) => indicator.unit)).toEqual([null, '%']);
    },
    BUDGET_MS,
  );

  it(
    'a markdown-looking line of 32,000 pipes that does not end in one',
    async () => {
      const plan = await bounded(() => parse(`PHỤ LỤC 1\n|---|---|\n| a | b |\n${'| x '.repeat(32_000)}y`));
      expect(plan.document.number).toBe('17/KH-UBND');
    },
    BUDGET_MS,
  );

  it(
    'a table cell with 80,000 spaces inside it',
    async () => {
      const plan = await bounded(() => parse(`PHỤ LỤC 1\nTT |\nNhiệm vụ |\nCơ quan chủ trì |\n1 |\nx${' '.repeat(80_000)}y |\nSở Y tế |`));
      expect(plan.tasks.find((task) => task.ref === 'PL1.1')?.title).toBe('x y');
    },
    BUDGET_MS,
  );

  it(
    '32,000 tasks each supervised by a different name',
    async () => {
      const tasks = Array.from(
        { length: 32_000 },
        (_, i) =>
          ({
            ref: String(i + 1),
            source: { line: i + 1 },
            supervisor: { text: `Nguyễn Văn ${i.toString(36).padStart(4, 'a')}`, name: null },
          }) as unknown as ParsedTask,
      );
      const read = await bounded(() => resolveSupervisors(tasks, ['Lê Văn Tám'], () => undefined));
      expect(read[0].supervisor).toEqual({ text: 'Nguyễn Văn aaa0', name: 'Nguyễn Văn aaa0' });
    },
    BUDGET_MS,
  );

  it('a typo of a spelling the document uses more often is still corrected', () => {
    const task = (ref: string, name: string) => ({ ref, source: { line: 1 }, supervisor: { text: name, name: null } }) as unknown as ParsedTask;
    const read = resolveSupervisors([task('1', 'Dương Đức Tuấn'), task('2', 'Dương Đức Tuấn'), task('3', 'Dương Đức Tuần')], [], () => undefined);
    expect(read[2].supervisor?.name).toBe('Dương Đức Tuấn');
  });
});
