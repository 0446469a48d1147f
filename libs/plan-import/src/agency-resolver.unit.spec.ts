import { resolveAgency, splitAgencyList } from './agency-resolver';
import { directoryOf } from './test-seeds';

const haNoi = directoryOf('ha-noi');
const haiPhong = directoryOf('hai-phong');

const summary = (text: string, directory = haNoi) => splitAgencyList(text, directory).map((ref) => [ref.resolution, ref.agencyId ?? ref.text]);

describe('resolveAgency', () => {
  it.each([
    ['Sở Kế hoạch và Đầu tư', 'so-ke-hoach-dau-tu'],
    ['Sở KH&ĐT', 'so-ke-hoach-dau-tu'],
    ['Sở KHĐT', 'so-ke-hoach-dau-tu'],
    ['Kế hoạch và Đầu tư', 'so-ke-hoach-dau-tu'],
    ['sở  kế hoạch VÀ đầu tư.', 'so-ke-hoach-dau-tu'],
    ['Sở\nTư pháp', 'so-tu-phap'],
    ['Viện Nghiên cứu phát triển KTXH Hà Nội.', 'vien-nghien-cuu-phat-trien-kt-xh'],
    ['Sở Giao thông Vận tải', 'so-giao-thong-van-tai'],
    ['Công an Thành phố', 'cong-an-thanh-pho'],
  ])('%s -> %s', (text, id) => {
    const ref = resolveAgency(text, haNoi);
    expect(ref).toMatchObject({ agencyId: id, resolution: 'resolved' });
    expect(ref.name).toBe(haNoi.find((agency) => agency.id === id)!.name);
  });

  it('reads decomposed diacritics like composed ones', () => {
    expect(resolveAgency('Sở Tài chính'.normalize('NFD'), haNoi).agencyId).toBe('so-tai-chinh');
  });

  it('marks catch-alls as groups and unknown names as unresolved, keeping the text', () => {
    expect(resolveAgency('các sở, ban, ngành liên quan', haNoi)).toMatchObject({ agencyId: null, resolution: 'group' });
    expect(resolveAgency('UBND các quận, huyện, thị xã', haNoi)).toMatchObject({ agencyId: null, resolution: 'group' });
    expect(resolveAgency('Các cơ quan, đơn vị liên quan', haNoi)).toMatchObject({ resolution: 'group' });
    expect(resolveAgency('Sở Hàng không Vũ trụ', haNoi)).toEqual({
      agencyId: null,
      name: 'Sở Hàng không Vũ trụ',
      text: 'Sở Hàng không Vũ trụ',
      resolution: 'unresolved',
    });
  });

  it('keeps each city to its own directory', () => {
    expect(resolveAgency('UBND huyện Bạch Long Vĩ', haiPhong).agencyId).toBe('ubnd-huyen-bach-long-vi');
    expect(resolveAgency('UBND huyện Bạch Long Vĩ', haNoi).resolution).toBe('unresolved');
  });
});

describe('splitAgencyList', () => {
  it('keeps "Sở Lao động, Thương binh và Xã hội" as one agency', () => {
    expect(summary('Sở Lao động, Thương binh và Xã hội; Sở Công Thương; Sở Giáo dục và Đào tạo', haiPhong)).toEqual([
      ['resolved', 'so-lao-dong-tbxh'],
      ['resolved', 'so-cong-thuong'],
      ['resolved', 'so-giao-duc-dao-tao'],
    ]);
  });

  it('reads three departments and groups', () => {
    expect(summary('Tài Nguyên\nvà Môi trường; Kế hoạch và Đầu tư; Nội vụ và các Sở ban, ngành; UBND các quận,\nhuyện, thị xã')).toEqual([
      ['resolved', 'so-tai-nguyen-moi-truong'],
      ['resolved', 'so-ke-hoach-dau-tu'],
      ['resolved', 'so-noi-vu'],
      ['group', 'các Sở ban, ngành'],
      ['group', 'UBND các quận, huyện, thị xã'],
    ]);
  });

  it('distributes "Các sở:" over abbreviations', () => {
    expect(summary('Các\nsở: KHCN, TTTT, KH&ĐT, TC và các sở, ngành liên quan')).toEqual([
      ['resolved', 'so-khoa-hoc-cong-nghe'],
      ['resolved', 'so-thong-tin-truyen-thong'],
      ['resolved', 'so-ke-hoach-dau-tu'],
      ['resolved', 'so-tai-chinh'],
      ['group', 'các sở, ngành liên quan'],
    ]);
    expect(summary('Các sở KH&ĐT, Du Lịch, Quy hoạch Kiến trúc')).toEqual([
      ['resolved', 'so-ke-hoach-dau-tu'],
      ['resolved', 'so-du-lich'],
      ['resolved', 'so-quy-hoach-kien-truc'],
    ]);
  });

  it('reads catch-alls as groups with no agency id', () => {
    for (const text of ['các sở, ban, ngành liên quan', 'UBND các quận, huyện, thị xã', 'Các cơ quan, đơn vị liên quan']) {
      const refs = splitAgencyList(text, haNoi);
      expect(refs).toHaveLength(1);
      expect(refs[0]).toMatchObject({ agencyId: null, resolution: 'group', text });
    }
  });

  it('strips "Đề nghị … phối hợp" around a ministry', () => {
    expect(summary('Đề nghị Bộ Tư pháp phối hợp; các Sở, Ban, ngành, UBND quận, huyện, Thị xã.')).toEqual([
      ['resolved', 'bo-tu-phap'],
      ['group', 'các Sở, Ban, ngành'],
      ['group', 'UBND quận, huyện, Thị xã'],
    ]);
  });

  it('keeps unknown names, never drops them', () => {
    expect(summary('Sở Tài chính, Trung tâm Nghiên cứu và Phát triển Đô thị Mới và các sở, ngành liên quan')).toEqual([
      ['resolved', 'so-tai-chinh'],
      ['unresolved', 'Trung tâm Nghiên cứu và Phát triển Đô thị Mới'],
      ['group', 'các sở, ngành liên quan'],
    ]);
  });
});
