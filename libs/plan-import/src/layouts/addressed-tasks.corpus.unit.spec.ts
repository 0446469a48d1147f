import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readDocument, renderForParser } from '@mandate/document-reader';
import { parsePlan } from '../parse-plan';

// Captures whose tasks are duties addressed to agencies by numbered headings (see addressed-tasks.ts), read as
// `mandate parse --report` reads them, against the truth files counted by reading each document.
const CAPTURES = join(__dirname, '../../fixtures/corpus/captures');

type Truth = {
  readonly tasks: { readonly min: number; readonly max: number };
  readonly sample: readonly { readonly titleStartsWith: string; readonly lead: string | null }[];
};

const norm = (text: string | null | undefined): string =>
  (text ?? '')
    .normalize('NFC')
    .replace(/\*+/g, '')
    .toLocaleLowerCase('vi')
    .replace(/\s+/g, ' ')
    .replace(/[\s.:;,]+$/, '')
    .trim();

describe('addressed duties and key/value blocks in corpus captures', () => {
  it.each([
    'bac-ninh_144-KH-UBND_2025.md', // plan: "Tổ chức thực hiện" duties per agency, each a "- " bullet
    'can-tho_160-KH-UBND_2025.md', // plan: "1. Sở Nông nghiệp và Môi trường" headings over paragraphs
    'quang-tri_06-CT-UBND_2025.md', // directive: "1. Ủy ban nhân dân các xã, phường, đặc khu Cồn Cỏ:" over bullets
    'thanh-hoa_235-KH-UBND_2025.md', // plan with monitoring schedule tables that are not tasks
    'ho-chi-minh_4240-UBND-VX_2025.md', // công văn: "1. Giao người đứng đầu …", "2. Giao Sở Nội vụ"
    'dak-lak_012-CT-UBND_2025.md', // directive: "1. Thủ trưởng các sở, ban, ngành tỉnh; Chủ tịch UBND các xã, phường" over a) … i)
    'lai-chau_7360-KH-UBND_2025.md', // plan: key/value blocks "- Cơ quan chủ trì / - Cơ quan phối hợp / - Thời gian thực hiện"
    'ho-chi-minh_172-KH-UBND_2025.md', // plan: "- Nội dung thực hiện / - Cơ quan thực hiện / - Thời gian thực hiện"
    'ho-chi-minh_174-KH-UBND_2025.md', // plan: activities with key/value lines, Tổ chức thực hiện per agency
    'ha-tinh_624-KH-UBND_2025.md', // plan: themes naming no agency, the work assigned in Tổ chức thực hiện
    'dong-nai_182-KH-UBND_2025.md', // plan: general solutions, then "Phân công trách nhiệm" by agency
    'ho-chi-minh_2853-QD-UBND_2025.md', // decision and its plan: duties by agency, wrapped lines in blank-separated paragraphs
  ])('%s: task count within the truth range, sampled tasks found with their lead', async (file) => {
    const truth = JSON.parse(readFileSync(join(CAPTURES, `${file}.truth.json`), 'utf8')) as Truth;
    const doc = await readDocument(readFileSync(join(CAPTURES, file)), { fileName: file });
    const plan = parsePlan(renderForParser(doc), { document: file });
    expect(plan.tasks.length).toBeGreaterThanOrEqual(truth.tasks.min);
    expect(plan.tasks.length).toBeLessThanOrEqual(truth.tasks.max);
    for (const sample of truth.sample) {
      const prefix = norm(sample.titleStartsWith);
      // As the report finds a sample: the title's start, else a title that holds those words.
      const task = plan.tasks.find((t) => norm(t.title).startsWith(prefix)) ?? plan.tasks.find((t) => norm(t.title).includes(prefix));
      expect({ sample: sample.titleStartsWith, found: task !== undefined }).toEqual({ sample: sample.titleStartsWith, found: true });
      const got = norm(task?.lead?.text);
      const want = norm(sample.lead);
      expect({ sample: sample.titleStartsWith, lead: got !== '' && (want.startsWith(got) || got.startsWith(want)) }).toEqual({
        sample: sample.titleStartsWith,
        lead: true,
      });
    }
  });
});
