import type { Agency } from '@mandate/plans-domain';
import { importPlan, parsePlan } from './index';

// A document written for this test, in the trailing-pipe layout, with a city, numbers, agencies and
// deadlines none of the seeds has: the importer must not be fitted to the five files.
const directory: Agency[] = [
  { id: 'so-ke-hoach-dau-tu', cityId: 'da-nang', name: 'Sở Kế hoạch và Đầu tư', kind: 'department', aliases: ['Sở KH&ĐT'] },
  { id: 'so-y-te', cityId: 'da-nang', name: 'Sở Y tế', kind: 'department', aliases: [] },
  { id: 'so-du-lich', cityId: 'da-nang', name: 'Sở Du lịch', kind: 'department', aliases: [] },
  { id: 'ubnd-quan-hai-chau', cityId: 'da-nang', name: 'UBND quận Hải Châu', kind: 'district', aliases: ['Ủy ban nhân dân quận Hải Châu'] },
];

const text = `ỦY BAN NHÂN DÂN
THÀNH PHỐ ĐÀ NẴNG
Số: 271/KH-UBND
Đà Nẵng, ngày 5 tháng 12 năm 2022
KẾ HOẠCH
PHÁT TRIỂN DU LỊCH Y TẾ GIAI ĐOẠN 2023 - 2026
Thực hiện Nghị quyết số 119/NQ-HĐND ngày 22/7/2022 của Hội đồng nhân dân thành phố, Ủy ban nhân dân thành phố ban hành Kế hoạch như sau:
I. MỤC ĐÍCH
1. Phát triển du lịch y tế.
PHỤ LỤC
NHIỆM VỤ CỤ THỂ
STT |
Nội dung công việc |
Thời hạn |
Đơn vị chủ trì |
Đơn vị phối hợp |
Sản phẩm |
Ghi chú |
I |
Hạ tầng |
1 |
Xây dựng trung tâm
du lịch y tế quốc tế |
Quý III/2024 |
Sở Y tế |
Sở Du lịch; UBND quận Hải Châu và các đơn vị liên quan |
Đề án |
|
2 |
Ban hành danh mục dịch vụ |
trước ngày 30/6/2023 |
Sở
Du lịch |
Sở KH&ĐT, Sở Hàng hải Giả định |
Quyết định của UBND thành phố |
|
II |
Xúc tiến |
3 |
Tổ chức hội chợ du lịch y tế |
Định kỳ 6 tháng |
Ủy ban nhân dân quận Hải Châu |
Các sở, ngành liên quan |
Hội chợ |
Phối hợp doanh nghiệp |
4 |
Quảng bá trên nền tảng số |
Theo tiến độ chung |
Sở Du lịch |
|
Báo cáo |
|
`;

describe('importPlan on a document that is not a seed', () => {
  const plan = importPlan(text, { document: 'da-nang-271.txt', cityId: 'da-nang', directory });

  it('reads its metadata', () => {
    expect(plan).toMatchObject({
      number: '271/KH-UBND',
      kind: 'plan',
      issuedOn: '2022-12-05',
      issuer: 'UBND thành phố Đà Nẵng',
      implements: ['Nghị quyết số 119/NQ-HĐND ngày 22/7/2022'],
    });
  });

  it('reads its table by header names, whatever the column order', () => {
    expect(plan.tasks.map((task) => task.ref)).toEqual(['PL1.I.1', 'PL1.I.2', 'PL1.II.3', 'PL1.II.4']);
    const [first, second, third, fourth] = plan.tasks;
    expect(first).toMatchObject({
      title: 'Xây dựng trung tâm du lịch y tế quốc tế',
      group: 'I. Hạ tầng',
      deliverable: 'Đề án',
      lead: { agencyId: 'so-y-te' },
      deadline: { kind: 'quarter', due: '2024-09-30' },
    });
    expect(first.coordinators.map((ref) => ref.agencyId ?? ref.resolution)).toEqual(['so-du-lich', 'ubnd-quan-hai-chau', 'group']);
    expect(second.lead?.agencyId).toBe('so-du-lich');
    expect(second.deadline).toMatchObject({ kind: 'date', due: '2023-06-30' });
    expect(second.coordinators.map((ref) => ref.resolution)).toEqual(['resolved', 'unresolved']);
    expect(third).toMatchObject({ note: 'Phối hợp doanh nghiệp', lead: { agencyId: 'ubnd-quan-hai-chau' } });
    expect(third.deadline).toMatchObject({ kind: 'recurring', recurrence: 'half_yearly' });
    expect(fourth.deadline).toMatchObject({ kind: 'unspecified', text: 'Theo tiến độ chung' });
    expect(fourth.coordinators).toEqual([]);
  });

  it('lists what it could not read cleanly', () => {
    expect(plan.source.warnings).toEqual([
      'No signer (the name under "CHỦ TỊCH") was found: an unsigned copy, or a signature block the importer cannot read.',
      'PL1.I.2: "Sở Hàng hải Giả định" is not in the city\'s agency directory; add it or an alias, then re-import.',
      'PL1.II.4: deadline "Theo tiến độ chung" could not be read; it is kept as text.',
    ]);
  });
});

describe('parsePlan on a Markdown pipe table in the body of a decision', () => {
  const decision = [
    'ỦY BAN NHÂN DÂN TỈNH BẮC NINH',
    'Số: 1203/QĐ-UBND',
    'Bắc Ninh, ngày 12 tháng 9 năm 2024',
    'QUYẾT ĐỊNH',
    'VỀ VIỆC GIAO NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2024',
    'Căn cứ Kế hoạch số 45/KH-UBND ngày 10/01/2024 của UBND tỉnh;',
    '',
    '| STT | Nội dung nhiệm vụ | Đơn vị thực hiện | Đơn vị phối hợp | Kết quả, sản phẩm | Thời gian hoàn thành |',
    '|---|---|---|:---:|---|---|',
    '| I | Cải cách thể chế | | | | |',
    '| 1 | Rà soát văn bản quy phạm pháp luật | Sở Tư pháp | Các sở, ngành | Báo cáo | Quý IV/2024 |',
    '| 2 | Công bố thủ tục hành chính<br>mới ban hành | Văn phòng UBND tỉnh | Sở Tư pháp | Quyết định | trong tháng 10 năm 2024 |',
    '| II | Số hóa | | | | |',
    '| 1 | Số hóa hồ sơ \\| kết quả giải quyết | Sở Thông tin và Truyền thông | | Dữ liệu | 6 tháng cuối năm 2024 |',
  ].join('\n');
  const bacNinh: Agency[] = [
    { id: 'so-tu-phap', cityId: 'bac-ninh', name: 'Sở Tư pháp', kind: 'department', aliases: [] },
    { id: 'van-phong-ubnd', cityId: 'bac-ninh', name: 'Văn phòng UBND tỉnh', kind: 'committee', aliases: [] },
  ];
  const parsed = parsePlan(decision, { directory: bacNinh });

  it('reads the document block of a decision (QĐ) of a province', () => {
    expect(parsed.document).toMatchObject({ kind: 'QĐ', number: '1203/QĐ-UBND', issuedOn: '2024-09-12', place: 'Bắc Ninh', implements: ['45/KH-UBND'] });
  });

  it('reads the rows of the pipe table by what its header means', () => {
    expect(parsed.tasks.map((t) => [t.ref, t.title, t.lead?.agencyId ?? t.lead?.text, t.deliverable, t.deadline.due, t.source.line])).toEqual([
      ['T.I.1', 'Rà soát văn bản quy phạm pháp luật', 'so-tu-phap', 'Báo cáo', '2024-12-31', 11],
      ['T.I.2', 'Công bố thủ tục hành chính mới ban hành', 'van-phong-ubnd', 'Quyết định', '2024-10-31', 12],
      ['T.II.1', 'Số hóa hồ sơ | kết quả giải quyết', 'Sở Thông tin và Truyền thông', 'Dữ liệu', '2024-12-31', 14],
    ]);
    expect(parsed.tasks[0].coordinators.map((c) => c.resolution)).toEqual(['group']);
    // Its text stops before the signature block.
    expect(parsed.warnings.map((w) => w.code)).toEqual(['signer-missing', 'agency-unresolved']);
  });
});
