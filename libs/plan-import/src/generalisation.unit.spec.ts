import type { Agency } from '@mandate/plans-domain';
import { importPlan } from './index';

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
      'PL1.I.2: "Sở Hàng hải Giả định" is not in the city\'s agency directory; add it or an alias, then re-import.',
      'PL1.II.4: deadline "Theo tiến độ chung" could not be read; it is kept as text.',
    ]);
  });
});
