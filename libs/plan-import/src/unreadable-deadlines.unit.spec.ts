import type { Agency } from '@mandate/plans-domain';
import { parsePlan } from './index';

// Deadlines a document writes with a year or day no calendar has: the importer keeps the text and warns,
// it never reads them as another date (a 5-digit year was read as the issue year, "…/20255" as 2025).
const directory: Agency[] = [
  { id: 'so-y-te', cityId: 'da-nang', name: 'Sở Y tế', kind: 'department', aliases: [] },
  { id: 'so-du-lich', cityId: 'da-nang', name: 'Sở Du lịch', kind: 'department', aliases: [] },
];

const header = ['ỦY BAN NHÂN DÂN', 'THÀNH PHỐ ĐÀ NẴNG', 'Số: 12/KH-UBND', 'Đà Nẵng, ngày 5 tháng 12 năm 2022', 'KẾ HOẠCH', 'CẢI CÁCH HÀNH CHÍNH NĂM 2023'];

describe('unreadable deadlines in a document', () => {
  it('keeps a table cell with an unreadable year or day as text, with a warning', () => {
    const parsed = parsePlan(
      [
        ...header,
        '',
        '| STT | Nội dung nhiệm vụ | Đơn vị chủ trì | Thời gian hoàn thành |',
        '|---|---|---|---|',
        '| 1 | Xây dựng đề án du lịch y tế | Sở Y tế | trước ngày 31/12/99999 |',
        '| 2 | Tổ chức hội chợ | Sở Du lịch | Quý II/20255 |',
        '| 3 | Ban hành danh mục dịch vụ | Sở Du lịch | trước ngày 31/02/2023 |',
        '| 4 | Báo cáo kết quả | Sở Y tế | trước ngày 30/6/2023 |',
      ].join('\n'),
      { directory },
    );
    expect(parsed.tasks.map((t) => [t.deadline.kind, t.deadline.text])).toEqual([
      ['unknown', 'trước ngày 31/12/99999'],
      ['unknown', 'Quý II/20255'],
      ['unknown', 'trước ngày 31/02/2023'],
      ['due', 'trước ngày 30/6/2023'],
    ]);
    expect(parsed.warnings.filter((w) => w.code === 'deadline-unknown').map((w) => w.message)).toEqual([
      expect.stringContaining('"trước ngày 31/12/99999"'),
      expect.stringContaining('"Quý II/20255"'),
      expect.stringContaining('"trước ngày 31/02/2023"'),
    ]);
  });

  it('warns about a deadline stated in a task sentence that it cannot read', () => {
    const parsed = parsePlan(
      [
        // A directive: its "Tổ chức thực hiện" section assigns the work, in sentences.
        ...['ỦY BAN NHÂN DÂN', 'THÀNH PHỐ ĐÀ NẴNG', 'Số: 02/CT-UBND', 'Đà Nẵng, ngày 5 tháng 1 năm 2023', 'CHỈ THỊ', 'VỀ PHÁT TRIỂN DU LỊCH Y TẾ'],
        '',
        'Để phát triển du lịch y tế, Chủ tịch Ủy ban nhân dân thành phố chỉ thị:',
        'I. MỤC ĐÍCH',
        'Nâng cao chất lượng dịch vụ công.',
        'II. TỔ CHỨC THỰC HIỆN',
        '1. Sở Y tế:',
        '1.1. Trước ngày 31/12/20255 xây dựng đề án du lịch y tế, báo cáo Ủy ban nhân dân thành phố.',
        '1.2. Tổ chức hội chợ du lịch y tế, báo cáo kết quả trước ngày 30/6/2023 để tổng hợp.',
      ].join('\n'),
      { directory },
    );
    const [first, second] = parsed.tasks;
    expect(first.deadline).toMatchObject({ kind: 'unknown', text: 'Trước ngày 31/12/20255' });
    expect(second.deadline).toMatchObject({ kind: 'due', due: '2023-06-30' });
    expect(parsed.warnings.filter((w) => w.code === 'deadline-unknown').map((w) => w.message)).toEqual([expect.stringContaining('"Trước ngày 31/12/20255"')]);
  });
});
