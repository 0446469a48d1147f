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

  it('reads groups by letter, a group whose one row has no number, and rows whose lead was merged down from the row above', () => {
    // Given an appendix grouped by agency letter ("A.", "B."), whose rows under one lead print only their
    // right cells (task | deadline), each closed by an empty cell, and a group whose row has no number
    const text = plan(
      table(
        ['STT', 'Cơ quan chủ trì', 'Cơ quan phối hợp', 'Nội dung nhiệm vụ', 'Thời hạn hoàn thành'],
        [
          ['A.', 'BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG'],
          [
            '1',
            'Bộ Nông nghiệp và Môi trường',
            'Bộ Xây dựng',
            '- Hoàn thiện Nghị định xử phạt',
            'Quý I năm 2026',
            '',
            '- Ban hành hướng dẫn kiểm kê khí thải',
            'Năm 2027',
          ],
          ['2', 'Bộ Nông nghiệp và Môi trường', 'Bộ Y tế', '- Đầu tư mạng lưới quan trắc', 'Giai đoạn 2026 - 2030'],
          ['B.', 'BỘ TÀI CHÍNH', '', '', 'Bộ Tài chính', 'Các bộ, ngành', '- Đề xuất chính sách ưu đãi thuế', 'Năm 2026'],
          ['C.', 'BỘ CÔNG AN'],
          ['1', 'Bộ Công an', 'Bộ Xây dựng', '- Kiểm soát khí thải phương tiện', 'Giai đoạn 2026 - 2030'],
        ],
      ),
    );
    // When it is parsed
    const tasks = parsePlan(text).tasks;
    // Then every task is read under its letter, the merged-down row keeps the lead of the row above
    expect(tasks.map((task) => [task.ref, task.title, task.lead?.text ?? null, task.deadline.text])).toEqual([
      ['PL1.A.1', '- Hoàn thiện Nghị định xử phạt', 'Bộ Nông nghiệp và Môi trường', 'Quý I năm 2026'],
      ['PL1.A.1.2', '- Ban hành hướng dẫn kiểm kê khí thải', 'Bộ Nông nghiệp và Môi trường', 'Năm 2027'],
      ['PL1.A.2', '- Đầu tư mạng lưới quan trắc', 'Bộ Nông nghiệp và Môi trường', 'Giai đoạn 2026 - 2030'],
      ['PL1.B.1', '- Đề xuất chính sách ưu đãi thuế', 'Bộ Tài chính', 'Năm 2026'],
      ['PL1.C.1', '- Kiểm soát khí thải phương tiện', 'Bộ Công an', 'Giai đoạn 2026 - 2030'],
    ]);
  });
});
