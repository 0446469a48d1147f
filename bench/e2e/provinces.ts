/**
 * The 34 provinces and centrally-run cities since 1 July 2025 (Nghị quyết 202/2025/QH15), the
 * seeds' two first: the cities a multi-city bench onboards through the operator API.
 */
export const PROVINCES: readonly { id: string; name: string; level: 'province' | 'city' }[] = [
  { id: 'ha-noi', name: 'Thành phố Hà Nội', level: 'city' },
  { id: 'hai-phong', name: 'Thành phố Hải Phòng', level: 'city' },
  { id: 'hue', name: 'Thành phố Huế', level: 'city' },
  { id: 'da-nang', name: 'Thành phố Đà Nẵng', level: 'city' },
  { id: 'ho-chi-minh', name: 'Thành phố Hồ Chí Minh', level: 'city' },
  { id: 'can-tho', name: 'Thành phố Cần Thơ', level: 'city' },
  ...(
    [
      ['lai-chau', 'Lai Châu'],
      ['dien-bien', 'Điện Biên'],
      ['son-la', 'Sơn La'],
      ['lang-son', 'Lạng Sơn'],
      ['quang-ninh', 'Quảng Ninh'],
      ['thanh-hoa', 'Thanh Hóa'],
      ['nghe-an', 'Nghệ An'],
      ['ha-tinh', 'Hà Tĩnh'],
      ['cao-bang', 'Cao Bằng'],
      ['tuyen-quang', 'Tuyên Quang'],
      ['lao-cai', 'Lào Cai'],
      ['thai-nguyen', 'Thái Nguyên'],
      ['phu-tho', 'Phú Thọ'],
      ['bac-ninh', 'Bắc Ninh'],
      ['hung-yen', 'Hưng Yên'],
      ['ninh-binh', 'Ninh Bình'],
      ['quang-tri', 'Quảng Trị'],
      ['quang-ngai', 'Quảng Ngãi'],
      ['gia-lai', 'Gia Lai'],
      ['khanh-hoa', 'Khánh Hòa'],
      ['lam-dong', 'Lâm Đồng'],
      ['dak-lak', 'Đắk Lắk'],
      ['dong-nai', 'Đồng Nai'],
      ['tay-ninh', 'Tây Ninh'],
      ['vinh-long', 'Vĩnh Long'],
      ['dong-thap', 'Đồng Tháp'],
      ['ca-mau', 'Cà Mau'],
      ['an-giang', 'An Giang'],
    ] as const
  ).map(([id, name]) => ({ id, name: `Tỉnh ${name}`, level: 'province' as const })),
];
