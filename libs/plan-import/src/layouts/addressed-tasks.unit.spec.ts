import { parsePlan } from '../parse-plan';
import { addressOf } from './addressed-tasks';

// Short documents in the corpus' style (directives, công văn, plans of provinces no directory knows).
const header = (number: string, kind: string, title: string): string =>
  `ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG\nSố: ${number}\nLâm Đồng, ngày 3 tháng 11 năm 2025\n${kind}\n${title}\n`;

const summary = (text: string) =>
  parsePlan(text).tasks.map((task) => ({ title: task.title.slice(0, 30), lead: task.lead?.text ?? null, deadline: task.deadline.text || null }));

describe('addressedTasks: duties addressed to agencies by numbered headings', () => {
  it('reads a directive whose numbered headings name agencies, with a) b) items under them, several agencies in one heading', () => {
    const text = `${header('05/CT-UBND', 'CHỈ THỊ', 'VỀ TĂNG CƯỜNG CẢI CÁCH THỦ TỤC HÀNH CHÍNH')}
Để khắc phục những hạn chế nêu trên, Chủ tịch UBND tỉnh yêu cầu:
1. Thủ trưởng các sở, ban, ngành tỉnh; Chủ tịch UBND các xã, phường
a) Thực hiện nghiêm việc công khai thủ tục hành chính.
b) Rà soát quy trình nội bộ, hoàn thành trước ngày 25/12/2025.
2. Sở Khoa học và Công nghệ:
a) Bảo đảm hệ thống thông tin giải quyết TTHC hoạt động ổn định.
3. Công an tỉnh
- Bảo đảm an ninh mạng cho các hệ thống.
- Hoàn thành kết nối dữ liệu dân cư xong trong Quý II/2026.
Nơi nhận:
- Như trên;
`;
    expect(summary(text)).toEqual([
      { title: 'Thực hiện nghiêm việc công kha', lead: 'Thủ trưởng các sở, ban, ngành tỉnh', deadline: null },
      { title: 'Rà soát quy trình nội bộ, hoàn', lead: 'Thủ trưởng các sở, ban, ngành tỉnh', deadline: 'trước ngày 25/12/2025' },
      { title: 'Bảo đảm hệ thống thông tin giả', lead: 'Sở Khoa học và Công nghệ', deadline: null },
      { title: 'Bảo đảm an ninh mạng cho các h', lead: 'Công an tỉnh', deadline: null },
      { title: 'Hoàn thành kết nối dữ liệu dân', lead: 'Công an tỉnh', deadline: 'trong Quý II/2026' },
    ]);
    // The second group of the heading is kept with the first, as a coordinator: not dropped.
    expect(parsePlan(text).tasks[0].coordinators.map((ref) => ref.text)).toEqual(['UBND các xã, phường']);
  });

  it('reads "Giao Sở X" headings of a công văn (heading and paragraph one sentence) and inline assignments where the agency runs into the task', () => {
    const text = `${header('4085/UBND-ĐT', 'CÔNG VĂN', 'VỀ VIỆC RÀ SOÁT DỮ LIỆU SỐ NHÀ')}
Ủy ban nhân dân tỉnh chỉ đạo như sau:
1. Về việc rà soát dữ liệu số nhà
1.1. Giao Sở Nông nghiệp và Môi trường
Chủ trì hướng dẫn các xã cập nhật dữ liệu địa chỉ số.
1.2. Giao Công an tỉnh khẩn trương đối soát dữ liệu dân cư, hoàn thành trước ngày 30/11/2025.
2. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh phối hợp tuyên truyền.
3. Văn phòng UBND tỉnh theo chức năng, nhiệm vụ được giao theo dõi, đôn đốc việc thực hiện.
Đây là nhiệm vụ quan trọng, cấp bách; Chủ tịch UBND tỉnh yêu cầu các cơ quan nghiêm túc thực hiện.
TM. ỦY BAN NHÂN DÂN
`;
    expect(summary(text)).toEqual([
      { title: 'Giao Sở Nông nghiệp và Môi trư', lead: 'Sở Nông nghiệp và Môi trường', deadline: null },
      { title: 'Giao Công an tỉnh khẩn trương ', lead: 'Công an tỉnh', deadline: 'trước ngày 30/11/2025' },
      { title: 'Đề nghị Ủy ban Mặt trận Tổ quố', lead: 'Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh', deadline: null },
      // The heading states the work; the paragraph after it closes the letter, it is not a second task.
      { title: 'Văn phòng UBND tỉnh theo chức ', lead: 'Văn phòng UBND tỉnh', deadline: null },
    ]);
  });

  it('reads the duties of a plan\'s "Tổ chức thực hiện" and skips purpose, target and budget sections', () => {
    const text = `${header('160/KH-UBND', 'KẾ HOẠCH', 'GIÁM SÁT, ĐÁNH GIÁ CHƯƠNG TRÌNH NĂM 2025')}
I. MỤC ĐÍCH, YÊU CẦU
1. Sở Tài chính bảo đảm số liệu thống nhất.
II. KINH PHÍ
1. Các sở, ban, ngành bố trí kinh phí từ nguồn được giao.
III. TỔ CHỨC THỰC HIỆN
1. Sở Nông nghiệp và Môi trường
Chủ trì theo dõi, tổng hợp kết quả giám sát, báo cáo UBND tỉnh trước ngày 15/12/2025.
2. Ủy ban nhân dân cấp xã
- Định kỳ hàng quý báo cáo kết quả thực hiện về Sở Nông nghiệp và Môi trường.
`;
    expect(summary(text)).toEqual([
      { title: 'Sở Nông nghiệp và Môi trường C', lead: 'Sở Nông nghiệp và Môi trường', deadline: 'trước ngày 15/12/2025' },
      { title: 'Định kỳ hàng quý báo cáo kết q', lead: 'Ủy ban nhân dân cấp xã', deadline: 'Định kỳ hàng quý' },
    ]);
  });

  it('reads "Tổ chức thực hiện" instead of task sections that name no agency (themes, "Nhiệm vụ, giải pháp")', () => {
    const text = `${header('624/KH-UBND', 'KẾ HOẠCH', 'NÂNG CAO CHẤT LƯỢNG GIÁO DỤC MẦM NON')}
I. MỤC ĐÍCH, YÊU CẦU
1. Nâng cao chất lượng giáo dục mầm non.
II. NHIỆM VỤ, GIẢI PHÁP
1. Hoàn thiện cơ chế, chính sách
a) Rà soát, kịp thời quy định chi tiết văn bản của cấp trên.
b) Nghiên cứu, đề xuất sửa đổi chính sách xã hội hóa.
III. TỔ CHỨC THỰC HIỆN
1. Sở Giáo dục và Đào tạo
a) Chủ trì, hướng dẫn triển khai Kế hoạch.
b) Hằng năm, tổng hợp kết quả, báo cáo UBND tỉnh.
2. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh
Tuyên truyền, vận động nhân dân tham gia.
`;
    expect(parsePlan(text).tasks.some((task) => task.title.startsWith('Rà soát, kịp thời'))).toBe(false);
    expect(summary(text)).toEqual([
      { title: 'Chủ trì, hướng dẫn triển khai ', lead: 'Sở Giáo dục và Đào tạo', deadline: null },
      { title: 'Hằng năm, tổng hợp kết quả, bá', lead: 'Sở Giáo dục và Đào tạo', deadline: 'Hằng năm' },
      { title: 'Đề nghị Ủy ban Mặt trận Tổ quố', lead: 'Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh', deadline: null },
    ]);
  });

  it('keeps a section of themes that one addressed line in the rest of the plan does not replace', () => {
    const themes = ['a) Rà soát chính sách.', 'b) Đa dạng mô hình.', 'c) Nâng cao chất lượng.', 'd) Huy động nguồn lực.'].join('\n');
    const text = `${header('625/KH-UBND', 'KẾ HOẠCH', 'PHÁT TRIỂN GIÁO DỤC')}
I. MỤC ĐÍCH, YÊU CẦU
1. Nâng cao chất lượng.
II. NHIỆM VỤ, GIẢI PHÁP
1. Nhiệm vụ trọng tâm
${themes}
III. TỔ CHỨC THỰC HIỆN
1. Sở Tài chính bố trí kinh phí thực hiện.
`;
    expect(summary(text).map((task) => task.title.slice(0, 12))).toEqual(['Rà soát chín', 'Đa dạng mô h', 'Nâng cao chấ', 'Huy động ngu']);
  });

  it('keeps task sections whose work has its own deadlines though no agency is read, and replaces themes a directory half-reads', () => {
    const dated = `${header('626/KH-UBND', 'KẾ HOẠCH', 'TỔNG KIỂM KÊ TÀI SẢN CÔNG')}
I. MỤC ĐÍCH, YÊU CẦU
1. Kiểm kê đầy đủ.
II. NHIỆM VỤ CỤ THỂ
1. Thành lập Ban Chỉ đạo, trước ngày 15/11/2025.
2. Tổng hợp kết quả kiểm kê, trước ngày 31/5/2026.
III. TỔ CHỨC THỰC HIỆN
1. Sở Tài chính
a) Hướng dẫn các cơ quan thực hiện.
b) Tổng hợp báo cáo.
`;
    expect(summary(dated).map((task) => task.title.slice(0, 12))).toEqual(['Thành lập Ba', 'Tổng hợp kết']);
    // Themes of which the directory resolves one agency in passing are still themes: Tổ chức thực hiện holds the work.
    const themes = dated
      .replace('1. Thành lập Ban Chỉ đạo, trước ngày 15/11/2025.', '1. Sở Nội vụ chủ trì kiện toàn bộ máy.')
      .replace(', trước ngày 31/5/2026.', '.')
      .replace('2. Tổng hợp kết quả kiểm kê.', '2. Tổng hợp kết quả kiểm kê.\n3. Đa dạng hóa nguồn lực.\n4. Tăng cường kiểm tra.');
    const directory = [{ id: 'so-noi-vu', cityId: 'x', name: 'Sở Nội vụ', kind: 'department' as const, aliases: [] }];
    // (The one theme that names its agency is assigned work, and stays.)
    expect(parsePlan(themes, { directory }).tasks.map((task) => task.title.slice(0, 12))).toEqual(['Sở Nội vụ ch', 'Hướng dẫn cá', 'Tổng hợp báo']);
  });

  it('reads the same tasks from text hard-wrapped mid-sentence (a capture imported as plain text)', () => {
    const text = `${header('05/CT-UBND', 'CHỈ THỊ', 'VỀ TĂNG CƯỜNG CẢI CÁCH THỦ TỤC HÀNH CHÍNH')}
1. Thủ trưởng các sở, ban, ngành tỉnh; Chủ tịch UBND
các xã, phường

a) Thực hiện nghiêm việc công khai thủ tục
hành chính tại các cơ quan.

b) Rà soát quy trình nội bộ, hoàn thành
trước ngày 25/12/2025.

2. Sở Khoa học và Công nghệ

a) Bảo đảm hệ thống thông tin giải
quyết TTHC hoạt động ổn định.
`;
    expect(summary(text)).toEqual([
      { title: 'Thực hiện nghiêm việc công kha', lead: 'Thủ trưởng các sở, ban, ngành tỉnh', deadline: null },
      { title: 'Rà soát quy trình nội bộ, hoàn', lead: 'Thủ trưởng các sở, ban, ngành tỉnh', deadline: 'trước ngày 25/12/2025' },
      { title: 'Bảo đảm hệ thống thông tin giả', lead: 'Sở Khoa học và Công nghệ', deadline: null },
    ]);
    expect(parsePlan(text).tasks[0].title).toBe('Thực hiện nghiêm việc công khai thủ tục hành chính tại các cơ quan.');
  });

  it('joins a wrap that starts in upper case when the text sets its paragraphs apart by blank lines', () => {
    const text = `${header('2853/QĐ-UBND', 'QUYẾT ĐỊNH', 'VỀ KẾ HOẠCH GIẢM PHÁT THẢI')}

1. Sở Nông nghiệp và Môi trường

a) Điều phối chung, đôn đốc việc thực hiện, tổng hợp báo cáo
Ủy ban nhân dân Thành phố.

b) Tổ chức đánh giá, báo cáo kết quả giảm phát thải
Trước ngày 15/12/2025.

2. Sở Xây dựng

a) Hướng dẫn các chủ đầu tư.
`;
    expect(summary(text)).toEqual([
      { title: 'Điều phối chung, đôn đốc việc ', lead: 'Sở Nông nghiệp và Môi trường', deadline: null },
      { title: 'Tổ chức đánh giá, báo cáo kết ', lead: 'Sở Nông nghiệp và Môi trường', deadline: 'Trước ngày 15/12/2025' },
      { title: 'Hướng dẫn các chủ đầu tư.', lead: 'Sở Xây dựng', deadline: null },
    ]);
  });

  it('does not take a heading that starts with a verb or a topic for an agency', () => {
    expect(addressOf('Ban hành quy chế phối hợp')).toBeNull();
    expect(addressOf('Bộ nhận diện và các thông điệp truyền thông')).toBeNull();
    expect(addressOf('Về việc rà soát dữ liệu số nhà')).toBeNull();
    expect(addressOf('Tổ chức thực hiện')).toBeNull();
    expect(addressOf('Giao Sở Tài chính chủ trì, phối hợp với Sở Nội vụ tham mưu')).toEqual({
      agencies: 'Sở Tài chính',
      rest: 'chủ trì, phối hợp với Sở Nội vụ tham mưu',
    });
    expect(addressOf('Sở Tư pháp: rà soát văn bản')).toEqual({ agencies: 'Sở Tư pháp', rest: 'rà soát văn bản' });
    // The one who gives the work is not the one who does it.
    expect(addressOf('Chủ tịch UBND tỉnh giao Sở Nội vụ chủ trì tổ chức kiểm tra')).toEqual({ agencies: 'Sở Nội vụ', rest: 'chủ trì tổ chức kiểm tra' });
  });

  it("gives a task section's agency headings their lead when no directory knows them, and adds nothing where the sections have leads", () => {
    const text = `${header('12/KH-UBND', 'KẾ HOẠCH', 'CHUYỂN ĐỔI SỐ NĂM 2025')}
I. NHIỆM VỤ CỤ THỂ
1. Sở Nội vụ
- Rà soát vị trí việc làm.
II. TỔ CHỨC THỰC HIỆN
1. Sở Tài chính bố trí kinh phí thực hiện.
`;
    expect(summary(text)).toEqual([
      { title: 'Rà soát vị trí việc làm.', lead: 'Sở Nội vụ', deadline: null },
      { title: 'Sở Tài chính bố trí kinh phí t', lead: 'Sở Tài chính', deadline: null },
    ]);
    const directory = [{ id: 'so-noi-vu', cityId: 'x', name: 'Sở Nội vụ', kind: 'department' as const, aliases: [] }];
    expect(parsePlan(text, { directory }).tasks.map((task) => [task.title, task.lead?.agencyId ?? null])).toEqual([['Rà soát vị trí việc làm.', 'so-noi-vu']]);
  });

  it('joins a hard-wrapped line of a capture whose appendix tables (after the signature) outweigh its prose', () => {
    // Given a capture that sets its paragraphs apart by blank lines, one wrapped mid-sentence, and a long table after the signature
    const table = Array.from({ length: 60 }, (_, i) => `${i + 1}\n|\nBộ ${i}\n|\n${i * 3}\n|\n|`).join('\n');
    const text = `${header('220/CĐ-TTg', 'CÔNG ĐIỆN', 'VỀ CẮT GIẢM THỦ TỤC HÀNH CHÍNH')}

1. Bộ trưởng các Bộ, Thủ trưởng cơ quan ngang bộ

a) Khẩn trương rà soát, chuẩn hóa kết quả giải quyết
TTHC chưa được chuẩn hóa.

b) Các Bộ: Tài chính, Y tế khẩn trương khắc phục các bất cập, cụ thể:

(1) Bộ Tài chính giải quyết 03 vấn đề tồn đọng: (i)
Tích hợp dịch vụ thanh toán trực tuyến.

(2) Bộ Y tế kịp thời khắc phục lỗi của Hệ thống cấp phép hành nghề.

Nơi nhận:
- Như trên;
|
PHỤ LỤC
TT
|
Bộ
|
Số TTHC
|
|
${table}
`;
    // When it is parsed, then the wrapped line is one task, and each "(n)" item is led by the ministry it names
    expect(summary(text)).toEqual([
      { title: 'Khẩn trương rà soát, chuẩn hóa', lead: 'Bộ trưởng các Bộ', deadline: null },
      { title: '(1) Bộ Tài chính giải quyết 03', lead: 'Bộ Tài chính', deadline: null },
      { title: '(2) Bộ Y tế kịp thời khắc phục', lead: 'Bộ Y tế', deadline: null },
    ]);
    expect(parsePlan(text).tasks.map((task) => task.title)).toContain('Khẩn trương rà soát, chuẩn hóa kết quả giải quyết TTHC chưa được chuẩn hóa.');
  });

  it('ends the agency part of an inline assignment at more of the verbs that start work', () => {
    expect(addressOf('Bộ Tư pháp kịp thời khắc phục tình trạng chậm, lỗi của Hệ thống')).toEqual({
      agencies: 'Bộ Tư pháp',
      rest: 'kịp thời khắc phục tình trạng chậm, lỗi của Hệ thống',
    });
    expect(addressOf('Bộ Tài chính giải quyết 03 vấn đề tồn đọng: (i) tích hợp')?.agencies).toBe('Bộ Tài chính');
    expect(addressOf('Sở Nội vụ đề xuất phương án sắp xếp')?.agencies).toBe('Sở Nội vụ');
  });

  it('takes a province\'s tax office ("Thuế tỉnh …") for an agency, not a topic on taxes', () => {
    expect(addressOf('Thuế tỉnh Đắk Lắk')).toEqual({ agencies: 'Thuế tỉnh Đắk Lắk', rest: '' });
    expect(addressOf('Thuế tỉnh Đắk Lắk chủ trì thẩm định ưu đãi')?.agencies).toBe('Thuế tỉnh Đắk Lắk');
    expect(addressOf('Thuế, phí và lệ phí')).toBeNull();
  });

  it('takes a centre or office named by what it does, then its field, for an agency', () => {
    expect(addressOf('Trung tâm xúc tiến Đầu tư, Thương mại và Du lịch tỉnh')?.rest).toBe('');
    expect(addressOf('Văn phòng điều phối Nông thôn mới tỉnh chủ trì tổng hợp')).toEqual({
      agencies: 'Văn phòng điều phối Nông thôn mới tỉnh',
      rest: 'chủ trì tổng hợp',
    });
    // Without a named field it stays a phrase, not an agency.
    expect(addressOf('Trung tâm hành chính công của tỉnh')).toBeNull();
  });

  it('takes a division ("Phòng Tư pháp", "Phòng 5, Cục …") for an agency, not "Phòng, chống …" work', () => {
    expect(addressOf('Giao Phòng 5, Cục Cảnh sát điều tra tội phạm về ma túy chủ trì, phối hợp')?.agencies).toBe(
      'Phòng 5, Cục Cảnh sát điều tra tội phạm về ma túy',
    );
    expect(addressOf('Phòng Tư pháp huyện tham mưu')?.agencies).toBe('Phòng Tư pháp huyện');
    expect(addressOf('Phòng, chống ma túy trong trường học')).toBeNull();
    expect(addressOf('Phòng chống thiên tai')).toBeNull();
  });

  it('reads the bullets under a topic that give work themselves, and keeps a "Giao Sở X" heading apart from the line under it', () => {
    // Given a công văn whose second topic assigns its work in bullets, and a heading "Giao Sở X" right above its work
    const text = `${header('4085/UBND-ĐT', 'CÔNG VĂN', 'VỀ VIỆC RÀ SOÁT DỮ LIỆU SỐ NHÀ')}

1. Về việc rà soát dữ liệu số nhà

1.1. Giao Sở Xây dựng
Theo dõi, đôn đốc Ủy ban nhân dân các phường cập nhật số nhà.

2. Về công tác triển khai phần mềm

- Giao Sở Xây dựng chủ trì tổ chức khảo sát hiện trạng phần mềm.

- Trên cơ sở kết quả khảo sát, Sở Khoa học và Công nghệ chủ trì đề xuất phần mềm dùng chung, hoàn thành trong tháng 12 năm 2025.

- Các phần mềm hiện có vẫn được sử dụng đến khi có phần mềm dùng chung.
`;
    // When it is parsed, then the heading's agency alone leads its work, and the two bullets that give work are tasks
    expect(summary(text)).toEqual([
      { title: 'Giao Sở Xây dựng Theo dõi, đôn', lead: 'Sở Xây dựng', deadline: null },
      { title: 'Giao Sở Xây dựng chủ trì tổ ch', lead: 'Sở Xây dựng', deadline: null },
      { title: 'Trên cơ sở kết quả khảo sát, S', lead: 'Sở Khoa học và Công nghệ', deadline: 'hoàn thành trong tháng 12 năm 2025' },
    ]);
  });
});
