import { parsePlan } from '../parse-plan';

const header = `ỦY BAN NHÂN DÂN
TỈNH QUẢNG NGÃI
Số: 15/KH-UBND
Quảng Ngãi, ngày 3 tháng 11 năm 2025
KẾ HOẠCH
Tổng kiểm kê tài sản công
`;

const directory = [{ id: 'so-tai-chinh', cityId: 'x', name: 'Sở Tài chính', kind: 'department' as const, aliases: [] }];
const summary = (text: string) =>
  parsePlan(text, { directory }).tasks.map((task) => [task.title.slice(0, 24), task.lead?.text ?? null, task.deadline.text || null]);

describe('tasks of a body section read as an outline', () => {
  it('gives each bullet the time line that follows it, when the bullets carry their own', () => {
    // Given bullets each followed by their own "Thời gian …:" line (one inline)
    const text = `${header}
I. NHIỆM VỤ CỤ THỂ
1. Sở Tài chính:
- Tuyên truyền, phổ biến quy định.
Thời gian thực hiện: Từ tháng 11/2025 đến khi kết thúc.
- Tham mưu phân công nhiệm vụ.
Thời gian hoàn thành: Trước ngày 15/12/2025.
- Tổng hợp kết quả, báo cáo Bộ Tài chính. Thời gian hoàn thành: Trước ngày 31/5/2026.
`;
    // When it is parsed, then each task has its own deadline
    expect(summary(text)).toEqual([
      ['Tuyên truyền, phổ biến q', 'Sở Tài chính', 'Từ tháng 11/2025 đến khi kết thúc.'],
      ['Tham mưu phân công nhiệm', 'Sở Tài chính', 'Trước ngày 15/12/2025.'],
      ['Tổng hợp kết quả, báo cá', 'Sở Tài chính', 'Trước ngày 31/5/2026'],
    ]);
  });

  it('keeps one time line closing a list of bullets for all of them', () => {
    // Given one "Thời gian thực hiện" after the last bullet
    const text = `${header}
I. NHIỆM VỤ CỤ THỂ
1. Sở Tài chính:
- Tuyên truyền, phổ biến quy định.
- Tham mưu phân công nhiệm vụ.
- Thời gian thực hiện: Quý I/2026.
`;
    // Then it holds for every bullet
    expect(summary(text).map((task) => task[2])).toEqual(['Quý I/2026.', 'Quý I/2026.']);
  });

  it('takes the lead from headings no directory knows: "Trách nhiệm của …", a group alone, an agency with its role after a dash', () => {
    // Given a plan of a province whose agencies no directory holds
    const text = `${header}
I. NHIỆM VỤ CỤ THỂ
1.1. Sở Tài chính - Cơ quan thường trực Ban Chỉ đạo
- Tham mưu phân công nhiệm vụ.
1.2. Ủy ban nhân dân các phường, xã, đặc khu
- Thành lập Ban Chỉ đạo cấp xã.
1.3. Trách nhiệm của đối tượng thực hiện kiểm kê:
- Thực hiện kiểm kê tài sản.
1.4. Trách nhiệm của các cơ quan quản lý cấp trên (bao gồm cả cơ quan đại diện chủ sở hữu):
- Đôn đốc đối tượng thực hiện kiểm kê.
1.5. Y tế - Giáo dục
- Rà soát cơ sở vật chất.
`;
    // When it is parsed against a directory that knows only Sở Tài chính
    const plan = parsePlan(text, { directory });
    // Then each heading's agency leads its bullets; a topic with a dash names nobody
    expect(plan.tasks.map((task) => [task.title.slice(0, 20), task.lead?.text ?? null])).toEqual([
      ['Tham mưu phân công n', 'Sở Tài chính'],
      ['Thành lập Ban Chỉ đạ', 'Ủy ban nhân dân các phường, xã, đặc khu'],
      ['Thực hiện kiểm kê tà', 'đối tượng thực hiện kiểm kê'],
      ['Đôn đốc đối tượng th', 'các cơ quan quản lý cấp trên'],
      ['Rà soát cơ sở vật ch', null],
    ]);
  });

  it('reads "+ " items under a "- " bullet as its details, not tasks of their own', () => {
    // Given a duty whose "- " bullet ends with ":" and lists what it covers in "+ " items
    const text = `${header}
I. NHIỆM VỤ CỤ THỂ
1. Sở Tài chính:
- Tham mưu Ủy ban nhân dân tỉnh trình Hội đồng nhân dân tỉnh quyết định:
+ Phương án phân bổ vốn;
+ Mức vốn đối ứng.
- Hướng dẫn quản lý kinh phí.
`;
    // When it is parsed, then the "+ " items are part of the bullet above them
    const tasks = parsePlan(text, { directory }).tasks;
    expect(tasks.map((task) => task.title)).toEqual([
      'Tham mưu Ủy ban nhân dân tỉnh trình Hội đồng nhân dân tỉnh quyết định: + Phương án phân bổ vốn; + Mức vốn đối ứng.',
      'Hướng dẫn quản lý kinh phí.',
    ]);
  });

  it('gives an item the agency it opens with when its heading addresses a catch-all group', () => {
    // Given a heading addressed to "các sở, ban, ngành" over bullets that each name their agency
    const text = `${header}
I. NHIỆM VỤ CỤ THỂ
1. Các sở, ban, ngành, địa phương
- Tổ chức tuyên truyền phòng, chống ma túy.
- Sở Tư pháp tham mưu triển khai Dự án 8.
- Công an tỉnh chủ trì triển khai Dự án 1.
`;
    // When it is parsed, then those bullets are led by the agency they name, the others by the group
    expect(parsePlan(text).tasks.map((task) => [task.title.slice(0, 20), task.lead?.text ?? null])).toEqual([
      ['Tổ chức tuyên truyền', 'Các sở, ban, ngành, địa phương'],
      ['Sở Tư pháp tham mưu ', 'Sở Tư pháp'],
      ['Công an tỉnh chủ trì', 'Công an tỉnh'],
    ]);
  });

  it('reads the duties addressed to agencies when the task section is themes under a catch-all group', () => {
    // Given a task section of themes for "các sở, ban, ngành" and the agencies' duties under headings
    // the city's directory does not know
    const text = `${header}
I. NHIỆM VỤ, GIẢI PHÁP
1. Các sở, ban, ngành, địa phương
- Nâng cao ý thức toàn dân.
- Đẩy mạnh ứng dụng công nghệ.
- Tăng cường thanh tra, kiểm tra.
2. Công an tỉnh
Kiểm tra, đôn đốc các sở, ban, ngành.
3. Đề nghị Viện Kiểm sát nhân dân tỉnh
Phối hợp chặt chẽ với Công an tỉnh.
`;
    // When it is parsed, then the headings' agencies lead their paragraphs (read by their shape)
    const tasks = parsePlan(text, { directory }).tasks;
    expect(tasks.filter((task) => /Kiểm tra, đôn đốc|Phối hợp chặt chẽ/u.test(task.title)).map((task) => task.lead?.text)).toEqual([
      'Công an tỉnh',
      'Viện Kiểm sát nhân dân tỉnh',
    ]);
  });

  it("takes the lead from a heading that is an agency's name alone, one the directory does not know", () => {
    // Given a task section by agency, with deadlines, whose agencies the directory does not hold
    const text = `${header}
I. NHỮNG NHIỆM VỤ CẦN TRIỂN KHAI NGAY
1. Văn phòng Ủy ban nhân dân tỉnh
a) Rà soát kết quả thực hiện các nhiệm vụ, hoàn thành trước ngày 20/12/2025.
b) Tham mưu ban hành quy chế phối hợp, hoàn thành trước ngày 25/12/2025.
2. Sở Tư pháp
Tập trung thực hiện kế hoạch kiểm tra văn bản trước ngày 25/12/2025.
`;
    // When it is parsed, then each heading's agency leads the work under it
    expect(parsePlan(text, { directory }).tasks.map((task) => [task.title.slice(0, 20), task.lead?.text ?? null, task.lead?.resolution ?? null])).toEqual([
      ['Rà soát kết quả thực', 'Văn phòng Ủy ban nhân dân tỉnh', 'unresolved'],
      ['Tham mưu ban hành qu', 'Văn phòng Ủy ban nhân dân tỉnh', 'unresolved'],
      ['Tập trung thực hiện ', 'Sở Tư pháp', 'unresolved'],
    ]);
  });

  it('still reads only the addressed duties when the task section mixes themes with agencies no directory knows', () => {
    // Given themes without an agency beside agency headings the directory does not hold, and no deadlines
    const text = `${header}
I. NHIỆM VỤ, GIẢI PHÁP
1. Nâng cao ý thức toàn dân
- Kiên trì xây dựng văn hóa bài trừ ma túy.
- Tổ chức truyền thông sâu rộng.
2. Sở Y tế
Chủ trì tham mưu điều trị nghiện.
3. Công an tỉnh
Chủ trì tổng rà soát người nghiện.
`;
    // When it is parsed, then the themes are not tasks: the agencies' duties are
    expect(parsePlan(text, { directory }).tasks.map((task) => task.lead?.text ?? null)).toEqual(['Sở Y tế', 'Công an tỉnh']);
  });
});
