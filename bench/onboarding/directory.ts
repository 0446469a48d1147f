// The agency directory each province's office imports when it is onboarded, as the XLSX it keeps
// (the columns apps/plans/src/directory-file.ts reads). Departments, boards and their units are the
// apparatus a province has since the 2025 reorganisation; the communes' names are synthetic, their
// counts per province those published for 1 July 2025 (3,321 in all).
import ExcelJS from 'exceljs';
import type { AgencyKind } from '@mandate/kernel';

/** Communes, wards and special zones per province after the 2025 reorganisation: 3,321 in all. */
export const COMMUNES: Readonly<Record<string, number>> = {
  'ha-noi': 126,
  'hai-phong': 114,
  hue: 40,
  'da-nang': 94,
  'ho-chi-minh': 168,
  'can-tho': 103,
  'lai-chau': 38,
  'dien-bien': 45,
  'son-la': 75,
  'lang-son': 65,
  'quang-ninh': 54,
  'thanh-hoa': 166,
  'nghe-an': 130,
  'ha-tinh': 69,
  'cao-bang': 56,
  'tuyen-quang': 124,
  'lao-cai': 99,
  'thai-nguyen': 92,
  'phu-tho': 148,
  'bac-ninh': 99,
  'hung-yen': 104,
  'ninh-binh': 129,
  'quang-tri': 78,
  'quang-ngai': 96,
  'gia-lai': 135,
  'khanh-hoa': 65,
  'lam-dong': 124,
  'dak-lak': 102,
  'dong-nai': 95,
  'tay-ninh': 96,
  'vinh-long': 124,
  'dong-thap': 102,
  'ca-mau': 64,
  'an-giang': 102,
};

/** The 13 special zones (đặc khu) and the provinces they are in. */
const SPECIAL_ZONES: Readonly<Record<string, number>> = {
  'hai-phong': 2,
  'da-nang': 1,
  'ho-chi-minh': 1,
  'quang-ninh': 2,
  'quang-tri': 1,
  'quang-ngai': 1,
  'khanh-hoa': 1,
  'lam-dong': 1,
  'an-giang': 3,
};

export type DirectoryRow = { id: string; name: string; kind: AgencyKind; parentId: string | null; aliases: string[] };

/** How the office's spreadsheet names a kind (the labels the export writes; the import takes them or the codes). */
const KIND_LABELS: Partial<Record<AgencyKind, string>> = {
  department: 'Sở, ban, ngành',
  committee: 'UBND, Văn phòng UBND',
  commune: 'UBND xã, phường, đặc khu',
  institute: 'Đơn vị sự nghiệp',
  unit: 'Đơn vị trực thuộc',
  other: 'Khác',
};

/** [id, name, kind, parent id, aliases]; `{tinh}` is "tỉnh X" or "thành phố X". */
const APPARATUS: readonly [string, string, AgencyKind, string | null, string[]][] = [
  ['van-phong-ubnd', 'Văn phòng UBND {tinh}', 'committee', null, []],
  ['so-noi-vu', 'Sở Nội vụ', 'department', null, ['SNV']],
  ['so-tu-phap', 'Sở Tư pháp', 'department', null, ['STP']],
  ['so-tai-chinh', 'Sở Tài chính', 'department', null, ['STC']],
  ['so-cong-thuong', 'Sở Công Thương', 'department', null, ['SCT']],
  ['so-nong-nghiep-moi-truong', 'Sở Nông nghiệp và Môi trường', 'department', null, ['Sở NN&MT', 'Sở NNMT']],
  ['so-xay-dung', 'Sở Xây dựng', 'department', null, ['SXD']],
  ['so-khoa-hoc-cong-nghe', 'Sở Khoa học và Công nghệ', 'department', null, ['Sở KH&CN', 'Sở KHCN']],
  ['so-giao-duc-dao-tao', 'Sở Giáo dục và Đào tạo', 'department', null, ['Sở GD&ĐT', 'Sở GDĐT']],
  ['so-y-te', 'Sở Y tế', 'department', null, ['SYT']],
  ['so-van-hoa-the-thao-du-lich', 'Sở Văn hóa, Thể thao và Du lịch', 'department', null, ['Sở VHTTDL', 'Sở VH-TT-DL']],
  ['so-dan-toc-ton-giao', 'Sở Dân tộc và Tôn giáo', 'department', null, ['Sở DT&TG']],
  ['so-ngoai-vu', 'Sở Ngoại vụ', 'department', null, ['SNgV']],
  ['thanh-tra', 'Thanh tra {tinh}', 'department', null, []],
  ['ban-quan-ly-khu-kinh-te', 'Ban Quản lý các khu kinh tế, khu công nghiệp {tinh}', 'department', null, ['Ban Quản lý KKT, KCN']],
  ['ban-qlda-dan-dung', 'Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng và công nghiệp', 'department', null, ['Ban QLDA dân dụng']],
  ['ban-qlda-giao-thong', 'Ban Quản lý dự án đầu tư xây dựng các công trình giao thông', 'department', null, ['Ban QLDA giao thông']],
  [
    'ban-qlda-nong-nghiep',
    'Ban Quản lý dự án đầu tư xây dựng các công trình nông nghiệp và phát triển nông thôn',
    'department',
    null,
    ['Ban QLDA nông nghiệp'],
  ],
  ['ban-tiep-cong-dan', 'Ban Tiếp công dân {tinh}', 'department', null, []],
  ['cong-an', 'Công an {tinh}', 'other', null, []],
  ['bo-chi-huy-quan-su', 'Bộ Chỉ huy Quân sự {tinh}', 'other', null, []],
  ['thue', 'Thuế {tinh}', 'other', null, []],
  ['bao-hiem-xa-hoi', 'Bảo hiểm xã hội {tinh}', 'other', null, []],
  ['kho-bac-nha-nuoc', 'Kho bạc Nhà nước khu vực {tinh}', 'other', null, []],
  ['bao-phat-thanh-truyen-hinh', 'Báo và Phát thanh, Truyền hình {tinh}', 'institute', null, []],
  ['trung-tam-phuc-vu-hanh-chinh-cong', 'Trung tâm Phục vụ hành chính công {tinh}', 'institute', null, []],
  ['quy-dau-tu-phat-trien', 'Quỹ Đầu tư phát triển {tinh}', 'institute', null, []],
  ['truong-cao-dang', 'Trường Cao đẳng {tinh}', 'institute', null, []],
  ['trung-tam-xuc-tien', 'Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch {tinh}', 'institute', null, []],
  ['ban-thi-dua-khen-thuong', 'Ban Thi đua - Khen thưởng', 'unit', 'so-noi-vu', []],
  ['chi-cuc-van-thu-luu-tru', 'Chi cục Văn thư - Lưu trữ', 'unit', 'so-noi-vu', []],
  ['chi-cuc-kiem-lam', 'Chi cục Kiểm lâm', 'unit', 'so-nong-nghiep-moi-truong', []],
  ['chi-cuc-thuy-loi', 'Chi cục Thủy lợi', 'unit', 'so-nong-nghiep-moi-truong', []],
  ['chi-cuc-trong-trot-bvtv', 'Chi cục Trồng trọt và Bảo vệ thực vật', 'unit', 'so-nong-nghiep-moi-truong', []],
  ['van-phong-dang-ky-dat-dai', 'Văn phòng Đăng ký đất đai', 'unit', 'so-nong-nghiep-moi-truong', []],
  ['trung-tam-kiem-soat-benh-tat', 'Trung tâm Kiểm soát bệnh tật', 'unit', 'so-y-te', ['CDC']],
  ['chi-cuc-dan-so', 'Chi cục Dân số', 'unit', 'so-y-te', []],
  ['trung-tam-khuyen-cong', 'Trung tâm Khuyến công và Tư vấn phát triển công nghiệp', 'unit', 'so-cong-thuong', []],
  ['trung-tam-chuyen-doi-so', 'Trung tâm Chuyển đổi số', 'unit', 'so-khoa-hoc-cong-nghe', []],
  ['trung-tam-dieu-hanh-giao-thong', 'Trung tâm Quản lý, điều hành giao thông', 'unit', 'so-xay-dung', []],
];

// Syllables of Vietnamese place names, combined into synthetic commune names.
const FIRST = [
  'An',
  'Bình',
  'Tân',
  'Phú',
  'Hòa',
  'Long',
  'Thạnh',
  'Phước',
  'Đông',
  'Tây',
  'Nam',
  'Bắc',
  'Vĩnh',
  'Mỹ',
  'Thuận',
  'Hưng',
  'Quang',
  'Đức',
  'Thanh',
  'Xuân',
  'Hải',
  'Sơn',
  'Trung',
  'Hiệp',
];
const SECOND = [
  'An',
  'Bình',
  'Hòa',
  'Lợi',
  'Phú',
  'Thành',
  'Hưng',
  'Lộc',
  'Thịnh',
  'Phong',
  'Hải',
  'Sơn',
  'Lâm',
  'Điền',
  'Khánh',
  'Ninh',
  'Tiến',
  'Quý',
  'Mỹ',
  'Hà',
];

/** "Đức Hòa" -> "duc-hoa". */
export const slug = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** A small deterministic generator, so a province gets the same names every run. */
const shuffled = <T>(items: readonly T[], seed: number): T[] => {
  const out = [...items];
  let state = seed * 2654435761 + 1;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
};

/**
 * One province's directory: the apparatus above (41 rows: departments, boards, central agencies
 * there, institutes, units under some departments), then one UBND per commune, ward and special zone
 * (kind commune), with the bare place name as an alias ("xã Tân Hòa"), as documents write it.
 */
export const directoryRows = (province: { id: string; name: string }, index: number): DirectoryRow[] => {
  // "Thành phố Hà Nội" -> "thành phố Hà Nội", "Tỉnh Lai Châu" -> "tỉnh Lai Châu"
  const tinh = province.name.charAt(0).toLocaleLowerCase('vi') + province.name.slice(1);
  const rows: DirectoryRow[] = APPARATUS.map(([id, name, kind, parentId, aliases]) => ({ id, name: name.replace('{tinh}', tinh), kind, parentId, aliases }));
  const count = COMMUNES[province.id] ?? 0;
  const zones = SPECIAL_ZONES[province.id] ?? 0;
  // About a fifth of the communes are wards (687 of 3,321), more of them in the centrally-run cities.
  const wards = Math.round(count * (province.name.startsWith('Thành phố') ? 0.4 : 0.17));
  // Distinct ids too: "Thanh An" and "Thạnh An" would both be thanh-an.
  const names = new Map(FIRST.flatMap((a) => SECOND.filter((b) => b !== a).map((b) => [slug(`${a} ${b}`), `${a} ${b}`] as const)));
  const places = shuffled([...names.values()], index + 1);
  for (let n = 0; n < count; n++) {
    const level = n < zones ? 'đặc khu' : n < zones + wards ? 'phường' : 'xã';
    const place = places[n % places.length] + (n >= places.length ? ` ${Math.floor(n / places.length) + 1}` : '');
    rows.push({ id: `ubnd-${slug(level)}-${slug(place)}`, name: `UBND ${level} ${place}`, kind: 'commune', parentId: null, aliases: [`${level} ${place}`] });
  }
  return rows;
};

/** The rows as the office's workbook: a title row, the header row the import looks for, one agency a row. */
export const directoryXlsx = async (province: { name: string }, rows: readonly DirectoryRow[]): Promise<Buffer> => {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Danh bạ');
  sheet.addRow([`Danh bạ cơ quan, đơn vị - ${province.name}`]).font = { bold: true };
  sheet.addRow(['Mã', 'Tên cơ quan, đơn vị', 'Loại', 'Trực thuộc (mã)', 'Tên khác']).font = { bold: true };
  for (const r of rows) sheet.addRow([r.id, r.name, KIND_LABELS[r.kind] ?? r.kind, r.parentId ?? '', r.aliases.join('; ')]);
  return Buffer.from((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
};
