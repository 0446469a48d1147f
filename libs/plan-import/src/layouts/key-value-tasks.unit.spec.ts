import { parsePlan } from '../parse-plan';

const header = (number: string, kind: string, title: string): string =>
  `ỦY BAN NHÂN DÂN\nTỈNH LAI CHÂU\nSố: ${number}\nLai Châu, ngày 3 tháng 11 năm 2025\n${kind}\n${title}\n`;

const summary = (text: string) =>
  parsePlan(text).tasks.map((task) => ({
    title: task.title.slice(0, 30),
    lead: task.lead?.text ?? null,
    coordinators: task.coordinators.map((ref) => ref.text),
    deadline: task.deadline.text || null,
    form: task.deadline.form,
  }));

/** Runs `work`, then lets timers run, so that a parse that overruns the Jest timeout fails (as adversarial.unit.spec.ts). */
const bounded = async <T>(work: () => T): Promise<T> => {
  const result = work();
  await new Promise((resolve) => setTimeout(resolve, 0));
  return result;
};

describe('keyValueTasks: a statement of the work followed by who and when', () => {
  it('reads numbered headings with "- Cơ quan chủ trì / phối hợp / Thời gian thực hiện" lines, a value cut across lines', () => {
    const text = `${header('7360/KH-UBND', 'KẾ HOẠCH', 'TRIỂN KHAI LUẬT TIÊU CHUẨN VÀ QUY CHUẨN KỸ THUẬT')}
I. MỤC ĐÍCH, YÊU CẦU
- Xác định cụ thể nội dung công việc, thời hạn và trách nhiệm của các cơ quan.
II. NỘI DUNG
1. Tổ chức phổ biến Luật và các văn bản hướng dẫn
- Cơ quan chủ trì: Sở Khoa học và Công nghệ, Sở
Tư pháp.
- Cơ quan phối hợp: Các sở, ngành; Ủy ban nhân dân các xã, phường.
- Thời gian thực hiện: Quý IV/2025.
2. Rà soát văn bản quy phạm pháp luật của tỉnh
- Cơ quan thực hiện: Sở Tư pháp chủ trì, phối hợp với các sở, ngành.
- Thời gian thực hiện: trước ngày 25/10/2025.
3. Thời gian thực hiện kế hoạch
- Thời gian thực hiện: năm 2025 và các năm tiếp theo.
`;
    expect(summary(text)).toEqual([
      {
        title: 'Tổ chức phổ biến Luật và các v',
        lead: 'Sở Khoa học và Công nghệ',
        coordinators: ['Sở Tư pháp', 'Các sở, ngành', 'Ủy ban nhân dân các xã, phường'],
        deadline: 'Quý IV/2025',
        form: 'quarter',
      },
      { title: 'Rà soát văn bản quy phạm pháp ', lead: 'Sở Tư pháp', coordinators: [], deadline: 'trước ngày 25/10/2025', form: 'date' },
    ]);
  });

  it('reads "(1) …" statements with "- Đơn vị chủ trì thực hiện / - Thời gian hoàn thành" and "+ Nội dung / + Cơ quan chủ trì / + Thời hạn ban hành" blocks', () => {
    const text = `${header('120/UBND-KSTT', 'CÔNG VĂN', 'VỀ TRIỂN KHAI NHIỆM VỤ CHÍNH QUYỀN HAI CẤP')}
Kính gửi: Các sở, ban, ngành thuộc tỉnh.
1. Hoàn thiện hạ tầng công nghệ thông tin
(1) Sao lưu, duy trì các cơ sở dữ liệu trong hệ thống cũ.
- Đơn vị chủ trì thực hiện: Văn phòng UBND tỉnh.
- Đơn vị phối hợp: Các sở, ban, ngành.
- Thời gian hoàn thành: Trong tháng 8/2025.
(2) Rà soát hạ tầng mạng tại các xã.
- Đơn vị thực hiện: Sở Khoa học và Công nghệ.
- Thời gian hoàn thành: Thực hiện thường xuyên.
2. Xây dựng văn bản
- Nghị định quy định chi tiết:
+ Nội dung: Quy định chi tiết về quản lý con dấu điện tử.
+ Cơ quan chủ trì: Bộ Công an.
+ Thời hạn ban hành: trước ngày 01 tháng 01 năm 2026.
`;
    expect(summary(text)).toEqual([
      {
        title: 'Sao lưu, duy trì các cơ sở dữ ',
        lead: 'Văn phòng UBND tỉnh',
        coordinators: ['Các sở, ban, ngành'],
        deadline: 'Trong tháng 8/2025',
        form: 'month',
      },
      {
        title: 'Rà soát hạ tầng mạng tại các x',
        lead: 'Sở Khoa học và Công nghệ',
        coordinators: [],
        deadline: 'Thực hiện thường xuyên',
        form: expect.any(String),
      },
      { title: 'Nghị định quy định chi tiết: Q', lead: 'Bộ Công an', coordinators: [], deadline: 'trước ngày 01 tháng 01 năm 2026', form: 'date' },
    ]);
  });

  it('takes a key written with no value from the "+ " items under it: the agencies listed, the deadline of the last step', () => {
    // Given a block whose time and lead are given as "+ " items
    const text = `${header('2623/QĐ-TTg', 'KẾ HOẠCH', 'TRIỂN KHAI LUẬT')}
II. NỘI DUNG
4. Rà soát văn bản quy phạm pháp luật
- Nội dung: rà soát các văn bản có liên quan đến Luật.
- Cơ quan thực hiện:
+ Bộ Công an;
+ Bộ Tư pháp.
- Thời gian thực hiện:
+ Các bộ gửi kết quả rà soát về Bộ Công an trước ngày 15 tháng 12 năm 2025.
+ Bộ Công an tổng hợp kết quả, báo cáo Thủ tướng Chính phủ trước ngày 31 tháng 12 năm 2025.
5. Tổ chức tập huấn
`;
    // When it is parsed, then the work is due when its last step is
    expect(summary(text)).toEqual([
      { title: 'Rà soát văn bản quy phạm pháp ', lead: 'Bộ Công an', coordinators: ['Bộ Tư pháp'], deadline: 'trước ngày 31 tháng 12 năm 2025', form: 'date' },
    ]);
  });

  it('reads a value continued over 100,000 lines in linear work (one task)', async () => {
    const text = `${header('1/KH-UBND', 'KẾ HOẠCH', 'THỬ SỨC')}\nII. NỘI DUNG\n1. Việc\n- Cơ quan chủ trì: Sở\n${'Xyz\n'.repeat(100_000)}`;
    const plan = await bounded(() => parsePlan(text));
    expect(plan.tasks).toHaveLength(1);
  }, 10_000);
});
