/**
 * A plan written for load: a header like the seeds' and an appendix table (trailing-pipe cells) of
 * `rows` tasks in groups of 50, with the agencies, deadlines and coordinator lists real plans use.
 * For benchmarks and size tests; the text is deterministic for a given row count.
 */
const LEADS = ['Sở Kế hoạch và Đầu tư', 'Sở Tài chính', 'Sở Tư pháp', 'Sở Nội vụ', 'Sở Xây dựng', 'Sở Y tế'];
const DEADLINES = ['Quý IV/2025', 'Tháng 9/2025', 'trước ngày 30/6/2025', 'Định kỳ hàng năm', 'Năm 2026', 'Thường xuyên'];
const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X'];

const roman = (n: number): string => {
  // Groups beyond X are written as their decimal place in tens of X, as long tables do: XI, XII, …
  let out = '';
  let rest = n;
  for (const [value, letters] of [
    [50, 'L'],
    [40, 'XL'],
    [10, 'X'],
    [9, 'IX'],
    [5, 'V'],
    [4, 'IV'],
    [1, 'I'],
  ] as const) {
    while (rest >= value) {
      out += letters;
      rest -= value;
    }
  }
  return out || ROMAN[0];
};

export const syntheticPlan = (rows: number, number = '999/KH-UBND'): string => {
  const lines = [
    'ỦY BAN NHÂN DÂN',
    'THÀNH PHỐ HÀ NỘI',
    `Số: ${number}`,
    'Hà Nội, ngày 15 tháng 1 năm 2025',
    'KẾ HOẠCH',
    'THỰC HIỆN CHƯƠNG TRÌNH CHUYỂN ĐỔI SỐ GIAI ĐOẠN 2025 - 2030',
    'Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị, Ủy ban nhân dân Thành phố ban hành Kế hoạch như sau:',
    'TM. ỦY BAN NHÂN DÂN',
    'CHỦ TỊCH',
    'Nguyễn Văn An',
    'PHỤ LỤC',
    'NHIỆM VỤ CỤ THỂ',
    'TT |',
    'Nhiệm vụ |',
    'Cơ quan chủ trì |',
    'Cơ quan phối hợp |',
    'Sản phẩm |',
    'Thời hạn |',
  ];
  let group = 0;
  for (let i = 0; i < rows; i++) {
    if (i % 50 === 0) {
      group++;
      lines.push(`${roman(group)} |`, `Nhóm nhiệm vụ số ${group} về chuyển đổi số trong lĩnh vực quản lý nhà nước |`);
    }
    lines.push(
      `${(i % 50) + 1} |`,
      `Triển khai nội dung số ${i + 1}: xây dựng, vận hành và khai thác cơ sở dữ liệu chuyên ngành,`,
      `bảo đảm kết nối, chia sẻ dữ liệu với hệ thống của Thành phố và các bộ, ngành trung ương |`,
      `${LEADS[i % LEADS.length]} |`,
      `${LEADS[(i + 1) % LEADS.length]}, ${LEADS[(i + 2) % LEADS.length]} và các sở, ban, ngành liên quan |`,
      `Báo cáo UBND Thành phố |`,
      `${DEADLINES[i % DEADLINES.length]} |`,
    );
  }
  return `${lines.join('\n')}\n`;
};
