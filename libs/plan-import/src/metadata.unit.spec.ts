import { parsePlan } from './parse-plan';

// The header of a công văn as a PDF exported from Word and e-signed reads once its positioned text is
// rebuilt: the number filled in at signing with a space before the slash, the date line split over lines
// with the day and month stamped on a line of their own.
const body = `1. Sở Công Thương
a) Rà soát các quy định hiện hành về quản lý vật liệu nổ.
2. Công an tỉnh
a) Tăng cường công tác kiểm tra, giám sát.
`;

describe('the header of a document signed after it was typed', () => {
  it('reads a number with a space before its slash, and a date whose day and month were stamped on their own line', () => {
    // Given an e-signed công văn's header as its text layer gives it
    const text = `UỶ BAN NHÂN DÂN
CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH LÀO CAI
Độc lập - Tự do - Hạnh phúc
Số: 193 /UBND-KT
Lào Cai, ngày
tháng
năm 2026
10 01
V/v tăng cường công tác quản lý vật liệu nổ
Kính gửi: Các sở, ngành.
${body}`;
    // When it is parsed
    const plan = parsePlan(text);
    // Then its number and date are the ones stamped, and nothing is said missing
    expect(plan.document.number).toBe('193/UBND-KT');
    expect(plan.document.issuedOn).toBe('2026-01-10');
    expect(plan.document.place).toBe('Lào Cai');
    expect(plan.warnings.map((warning) => warning.code)).not.toContain('date-missing');
  });

  it('keeps a split date line whose day and month are still blank as a blank date, not a guess', () => {
    // Given the same header before signing: nothing stamped
    const text = `UỶ BAN NHÂN DÂN
TỈNH LÀO CAI
Số:      /UBND-KT
Lào Cai, ngày
tháng
năm 2026
V/v tăng cường công tác quản lý vật liệu nổ
${body}`;
    // When it is parsed, then the date is missing, and the warning quotes the line as printed
    const plan = parsePlan(text);
    expect(plan.document.issuedOn).toBeNull();
    expect(plan.warnings.find((warning) => warning.code === 'date-missing')?.message).toContain('Lào Cai, ngày tháng năm 2026');
  });

  it('takes no stamped day that does not exist (31 February read off a stamp) for the date', () => {
    // Given a stamp read as day 31 of month 02
    const text = `UỶ BAN NHÂN DÂN
TỈNH LÀO CAI
Số: 193 /UBND-KT
Lào Cai, ngày
tháng
năm 2026
31 02
V/v tăng cường công tác quản lý vật liệu nổ
${body}`;
    // When it is parsed, then the date is missing rather than an impossible day
    const plan = parsePlan(text);
    expect(plan.document.issuedOn).toBeNull();
    expect(plan.warnings.map((warning) => warning.code)).toContain('date-missing');
  });
});
