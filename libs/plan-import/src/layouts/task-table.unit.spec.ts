import { parsePlan } from '../parse-plan';

// A plan with its appendix table in the form legal-text captures and the readers print tables: each cell's
// lines, then a line holding only "|"; one more "|" line between rows.
const plan = (appendix: string): string => `ỦY BAN NHÂN DÂN
TỈNH NGHỆ AN
Số: 12/KH-UBND
Nghệ An, ngày 3 tháng 11 năm 2025
KẾ HOẠCH
Triển khai công tác phòng thủ dân sự
I. MỤC ĐÍCH, YÊU CẦU
Bảo đảm thực hiện nghiêm.
Nơi nhận:
- Như trên;
PHỤ LỤC
${appendix}`;

const table = (heading: readonly string[], rows: readonly (readonly string[])[]): string =>
  [heading, ...rows].map((row) => row.map((cell) => `${cell}\n|`).join('\n')).join('\n|\n') + '\n';

const summary = (text: string) => parsePlan(text).tasks.map((task) => [task.title, task.lead?.text ?? null, task.deadline.text || null]);

describe('task tables', () => {
  it('reads on after a cell of dots where the source left rows out, whatever the numbers and group numerals that follow', () => {
    // Given a table excerpt: rows 3 to 5 of group I and groups II to III are left out ("…"), numbering goes on at 6.
    const text = plan(
      table(
        ['TT', 'Nội dung thực hiện', 'Cơ quan chủ trì', 'Thời gian hoàn thành'],
        [
          ['I', 'KIỆN TOÀN BỘ MÁY'],
          ['1', 'Kiện toàn Ban Chỉ huy', 'Bộ CHQS tỉnh', 'Trước ngày 30/11/2025'],
          ['2', 'Ban hành quy chế hoạt động', 'Bộ CHQS tỉnh', '2025'],
          ['…..........'],
          ['6', 'Rà soát công trình phòng thủ', 'Sở Xây dựng', 'Tháng 12 hằng năm'],
          ['7', 'Xây dựng công trình phòng thủ', 'Sở Xây dựng', 'Thường xuyên'],
          ['IV', 'DIỄN TẬP'],
          ['1', 'Diễn tập phòng thủ dân sự các cấp', 'Sở Nội vụ', 'Theo Kế hoạch riêng'],
        ],
      ),
    );
    // When it is parsed
    const parsed = parsePlan(text);
    // Then every row printed is a task, the rows after the dots under no group (theirs was left out), and the gap is said
    expect(summary(text)).toEqual([
      ['Kiện toàn Ban Chỉ huy', 'Bộ CHQS tỉnh', 'Trước ngày 30/11/2025'],
      ['Ban hành quy chế hoạt động', 'Bộ CHQS tỉnh', '2025'],
      ['Rà soát công trình phòng thủ', 'Sở Xây dựng', 'Tháng 12 hằng năm'],
      ['Xây dựng công trình phòng thủ', 'Sở Xây dựng', 'Thường xuyên'],
      ['Diễn tập phòng thủ dân sự các cấp', 'Sở Nội vụ', 'Theo Kế hoạch riêng'],
    ]);
    expect(parsed.tasks.map((task) => task.ref)).toEqual(['PL1.I.1', 'PL1.I.2', 'PL1.6', 'PL1.7', 'PL1.IV.1']);
    expect(parsed.warnings.filter((warning) => warning.code === 'truncated')).toHaveLength(1);
  });

  it('takes a "Người thực hiện" column for the lead, the first of the people a cell lists one per line, the others helping', () => {
    // Given a department's plan that assigns its work to people
    const text = plan(
      table(
        ['TT', 'Nhiệm vụ thực hiện', 'Người thực hiện', 'Ghi chú'],
        [
          ['1', 'Rà soát hồ sơ học viên', 'Đỗ Văn An\nVũ Thị Bình', ''],
          ['2', 'Tổ chức chấm bài', 'Vũ Thị Bình', ''],
        ],
      ),
    );
    // When it is parsed
    const tasks = parsePlan(text).tasks;
    // Then each row is a task led by its first person
    expect(tasks.map((task) => [task.title, task.lead?.text, task.coordinators.map((ref) => ref.text)])).toEqual([
      ['Rà soát hồ sơ học viên', 'Đỗ Văn An', ['Vũ Thị Bình']],
      ['Tổ chức chấm bài', 'Vũ Thị Bình', []],
    ]);
  });
});
