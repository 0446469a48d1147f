import { deadlineOfView, viewOfDeadline } from './deadline-spec';
import { findDeadlineInSentence, parseDeadline } from './deadline-parse';

const ctx = { issuedOn: '2021-08-10' };

describe('parseDeadline: weekly duties', () => {
  it.each([
    // text, weekday (ISO: 1 = Monday … 7 = Sunday)
    ['Hằng tuần', 5],
    ['hàng tuần', 5],
    ['Mỗi tuần', 5],
    ['Định kỳ hằng tuần', 5],
    ['định kỳ báo cáo tuần', 5],
    ['vào thứ Sáu hằng tuần', 5],
    ['trước 16 giờ ngày thứ Sáu hằng tuần', 5],
    ['thứ Hai hàng tuần', 1],
    ['Thứ Ba hằng tuần', 2],
    ['thứ Tư hằng tuần', 3],
    ['trước 11h00’ ngày thứ Năm hằng tuần', 4],
    ['thứ 6 hằng tuần', 5],
    ['thứ Bảy hằng tuần', 6],
    ['thứ 7 mỗi tuần', 6],
    ['Chủ nhật hằng tuần', 7],
    ['hằng tuần vào thứ 2', 1],
    ['Hằng tuần, trước ngày thứ Năm', 4],
  ] as const)('Given "%s", then it recurs every week, due on day %s', (text, weekday) => {
    expect(parseDeadline(text, ctx)).toEqual({ text, kind: 'recurring', due: null, start: null, recurrence: 'weekly', weekday });
  });

  it('keeps the day through the importer view and back', () => {
    // Given a weekly duty due on Thursday
    const spec = parseDeadline('trước 11h00 ngày thứ 5 hằng tuần', ctx);
    // When it is shown as ParsedPlan JSON and read back
    const view = viewOfDeadline(spec);
    // Then the view says every week on Thursday, and nothing is lost
    expect(view).toEqual({ text: spec.text, kind: 'recurring', every: 'week', weekday: 4, form: 'recurring' });
    expect(deadlineOfView(view)).toEqual(spec);
  });

  it('leaves the other recurrences as they were read ("hằng tháng" beats "hằng tuần"; "tuần tra" is no week)', () => {
    expect(parseDeadline('Hằng tháng và hằng tuần', ctx).recurrence).toBe('monthly');
    expect(parseDeadline('Định kỳ hằng quý', ctx)).not.toHaveProperty('weekday');
    expect(parseDeadline('Tăng cường tuần tra', ctx).kind).toBe('unspecified');
  });
});

describe('parseDeadline: every row of domain.md', () => {
  it.each([
    // text, kind, due, start, recurrence
    ['Quý IV/2021', 'quarter', '2021-12-31', '2021-10-01', null],
    ['Quý I/2022', 'quarter', '2022-03-31', '2022-01-01', null],
    ['Tháng 9/2021', 'month', '2021-09-30', '2021-09-01', null],
    ['trong tháng 3/2020', 'month', '2020-03-31', '2020-03-01', null],
    ['Trước ngày 15 tháng 02 năm 2023', 'date', '2023-02-15', null, null],
    ['trước ngày 20/11/2023', 'date', '2023-11-20', null, null],
    ['Năm 2025', 'year', '2025-12-31', '2025-01-01', null],
    ['trong năm 2024', 'year', '2024-12-31', '2024-01-01', null],
    ['2021-2025', 'period', '2025-12-31', '2021-01-01', null],
    ['2021 - 2025', 'period', '2025-12-31', '2021-01-01', null],
    ['trong năm 2024-2025', 'period', '2025-12-31', '2024-01-01', null],
    ['Định kỳ hàng năm', 'recurring', null, null, 'yearly'],
    ['Định kỳ báo cáo hàng năm', 'recurring', null, null, 'yearly'],
    ['Tháng đầu mỗi quý', 'recurring', null, null, 'quarterly'],
    ['định kỳ hàng quý', 'recurring', null, null, 'quarterly'],
    ['Nhiệm vụ thường xuyên (trong năm 2024)', 'continuous', null, null, null],
    ['Trong quá trình thực hiện Nghị quyết', 'continuous', null, null, null],
    ['Trong thời gian thực hiện Nghị quyết', 'continuous', null, null, null],
    ['Đã ban hành Kế hoạch', 'done', null, null, null],
  ])('%s -> %s', (text, kind, due, start, recurrence) => {
    expect(parseDeadline(text, ctx)).toEqual({ text, kind, due, start, recurrence });
  });

  it('reads quarters II and III and leap-year months', () => {
    expect(parseDeadline('Quý II/2021', ctx).due).toBe('2021-06-30');
    expect(parseDeadline('Quý III/2020', ctx).due).toBe('2020-09-30');
    expect(parseDeadline('Tháng 2/2024', ctx).due).toBe('2024-02-29');
  });

  it('tolerates line breaks, case, extra spaces and decomposed diacritics; keeps the text collapsed', () => {
    expect(parseDeadline('Tháng\n9/2021', ctx)).toMatchObject({ text: 'Tháng 9/2021', kind: 'month', due: '2021-09-30' });
    expect(parseDeadline('  QUÝ   iv / 2021 ', ctx)).toMatchObject({ text: 'QUÝ iv / 2021', kind: 'quarter', due: '2021-12-31' });
    expect(parseDeadline('Quy IV/2021', ctx).due).toBe('2021-12-31');
    expect(parseDeadline('Quí 4/2021', ctx).due).toBe('2021-12-31');
    expect(parseDeadline('Đã\nban hành Kế hoạch'.normalize('NFD'), ctx).kind).toBe('done');
    expect(parseDeadline('ĐỊNH KỲ HÀNG NĂM', ctx).recurrence).toBe('yearly');
    expect(parseDeadline('Trong quá\ntrình thực hiện Nghị quyết', ctx).kind).toBe('continuous');
  });

  it('reads a day without a year as the next such day after the issue date', () => {
    expect(parseDeadline('trước ngày 15/02', { issuedOn: '2023-01-19' }).due).toBe('2023-02-15');
    expect(parseDeadline('trước ngày 15/01', { issuedOn: '2023-01-19' }).due).toBe('2024-01-15');
  });

  it('keeps what it cannot read as unspecified with the text', () => {
    expect(parseDeadline('Theo tiến độ dự án', ctx)).toEqual({
      text: 'Theo tiến độ dự án',
      kind: 'unspecified',
      due: null,
      start: null,
      recurrence: null,
    });
    expect(parseDeadline('', ctx).kind).toBe('unspecified');
    expect(parseDeadline('trước ngày 31/02/2023', ctx).kind).toBe('unspecified');
  });
});

describe('findDeadlineInSentence', () => {
  const dctx = { issuedOn: '2023-01-19' };
  it('finds deadlines written inside prose', () => {
    expect(findDeadlineInSentence('Trước ngày 15 tháng 02 năm 2023 xây dựng, ban hành và triển khai ngay kế hoạch', dctx)).toMatchObject({
      kind: 'date',
      due: '2023-02-15',
      text: 'Trước ngày 15 tháng 02 năm 2023',
    });
    expect(findDeadlineInSentence('báo cáo Ủy ban nhân dân thành phố trước ngày 20/11/2023 để tổng hợp', dctx)).toMatchObject({
      kind: 'date',
      due: '2023-11-20',
      text: 'trước ngày 20/11/2023',
    });
    expect(findDeadlineInSentence('khẩn trương rà soát…, hoàn thành trong tháng 3/2020; đồng thời gửi', dctx)).toMatchObject({
      kind: 'month',
      due: '2020-03-31',
    });
    expect(findDeadlineInSentence('Định kỳ hàng quý, các phòng gửi báo cáo', dctx)?.recurrence).toBe('quarterly');
  });

  it('reads a quarter written with its year in words ("trong quý III năm 2012")', () => {
    expect(findDeadlineInSentence('xây dựng đề án, trình Thủ tướng Chính phủ trong quý III năm 2012.', dctx)).toMatchObject({
      kind: 'quarter',
      due: '2012-09-30',
      text: 'trong quý III năm 2012',
    });
  });

  it('reads a weekly cut-off in a sentence as a weekly duty due on its day', () => {
    // Given the duty of issue 18's Công văn, with its hour and day
    // Then it recurs every week, on Friday, its words kept
    expect(findDeadlineInSentence('Định kỳ trước 16 giờ ngày thứ Sáu hằng tuần, báo cáo lãnh đạo UBND tỉnh', dctx)).toEqual({
      text: 'trước 16 giờ ngày thứ Sáu hằng tuần',
      kind: 'recurring',
      due: null,
      start: null,
      recurrence: 'weekly',
      weekday: 5,
    });
    expect(findDeadlineInSentence('gửi báo cáo trước 11h00 ngày thứ 5 hằng tuần', dctx)).toMatchObject({
      text: 'trước 11h00 ngày thứ 5 hằng tuần',
      recurrence: 'weekly',
      weekday: 4,
    });
  });

  it('reads a weekly duty after "định kỳ", at the head of a sentence, and its day written after it', () => {
    expect(findDeadlineInSentence('Các sở, ngành định kỳ hằng tuần báo cáo tiến độ về Văn phòng UBND tỉnh.', dctx)).toMatchObject({
      text: 'định kỳ hằng tuần',
      recurrence: 'weekly',
      weekday: 5,
    });
    expect(findDeadlineInSentence('Hằng tuần, vào thứ Hai, tổng hợp kết quả gửi Sở Nội vụ.', dctx)).toMatchObject({
      text: 'Hằng tuần, vào thứ Hai',
      recurrence: 'weekly',
      weekday: 1,
    });
    expect(findDeadlineInSentence('Báo cáo kết quả vào Chủ nhật hàng tuần.', dctx)).toMatchObject({ recurrence: 'weekly', weekday: 7 });
    // But "hằng tuần" inside a sentence, with no day and no "định kỳ", is not read as the task's schedule
    expect(findDeadlineInSentence('Duy trì chế độ giao ban hằng tuần của cơ quan.', dctx)).toBeNull();
  });

  it('reads a report owed several times a day as an ongoing duty, with its cut-offs as written', () => {
    // Given a duty to report twice a day
    const found = findDeadlineInSentence('Huy động nguồn lực tại chỗ; báo cáo 02 lần/ngày (trước 9h00’ và 16h00’) về tình hình cấp phát', dctx);
    // Then it is continuous, its words kept
    expect(found).toMatchObject({ kind: 'continuous', text: 'báo cáo 02 lần/ngày (trước 9h00’ và 16h00’)' });
    expect(parseDeadline('3 lần/ngày', dctx).kind).toBe('continuous');
  });

  it('reads a reporting duty written with "hằng" as a recurring task', () => {
    expect(findDeadlineInSentence('định kỳ hằng quý báo cáo kết quả về Sở Nội vụ trước ngày 15 của tháng cuối quý', dctx)).toMatchObject({
      kind: 'recurring',
      recurrence: 'quarterly',
      text: 'định kỳ hằng quý',
    });
    expect(findDeadlineInSentence('Định kỳ hằng tháng, Sở Khoa học và Công nghệ báo cáo', dctx)?.recurrence).toBe('monthly');
    expect(findDeadlineInSentence('Hằng năm, tổ chức kiểm tra việc thực hiện', dctx)).toMatchObject({ text: 'Hằng năm', recurrence: 'yearly' });
    // Inside a sentence a yearly budget is not a schedule.
    expect(findDeadlineInSentence('Bố trí từ nguồn ngân sách hằng năm của tỉnh', dctx)).toBeNull();
  });

  it('reads the year a sentence ends on, and the year work is to be complete by stated ahead of it', () => {
    // Given prose that puts the time last, or "Đến năm …, hoàn thành" first
    // Then that is the deadline
    expect(
      findDeadlineInSentence('Hoàn thành 100% TTHC liên quan đến doanh nghiệp được thực hiện trực tuyến trong năm 2025 (Phụ lục II kèm theo).', dctx),
    ).toMatchObject({
      kind: 'year',
      due: '2025-12-31',
      text: 'trong năm 2025',
    });
    expect(findDeadlineInSentence('Hằng năm, rà soát các khu công nghiệp. Đến năm 2015, hoàn thành chương trình hỗ trợ có mục tiêu.', dctx)).toMatchObject({
      kind: 'year',
      due: '2015-12-31',
      text: 'Đến năm 2015',
    });
    // A year inside the sentence, or a target not tied to completing the work, is not the deadline.
    expect(findDeadlineInSentence('Tổng kết kết quả đạt được trong năm 2022 và đề xuất nhiệm vụ mới.', dctx)).toBeNull();
    expect(findDeadlineInSentence('Hằng năm, rà soát các khu công nghiệp đến năm 2030.', dctx)?.text).toBe('Hằng năm');
    expect(findDeadlineInSentence('Thu hút 35 triệu lượt khách du lịch vào năm 2030.', dctx)).toBeNull();
    expect(findDeadlineInSentence('Đề xuất cơ chế để đạt mục tiêu đến năm 2025 hoàn thành việc di chuyển trung tâm hành chính', dctx)).toBeNull();
  });

  it('returns null for prose that only mentions a year', () => {
    expect(findDeadlineInSentence('phát huy các kết quả đạt được trong năm 2022 và từ đầu nhiệm kỳ', dctx)).toBeNull();
    expect(findDeadlineInSentence('Tăng cường kỷ cương thu, chi ngân sách.', dctx)).toBeNull();
  });
});

describe('parseDeadline: a range of months in one year', () => {
  const dctx = { issuedOn: '2025-11-21' };
  it('reads "Tháng 11 - 12/2025" as the period from November to the end of December', () => {
    expect(parseDeadline('Tháng 11 - 12/2025.', dctx)).toMatchObject({ kind: 'period', start: '2025-11-01', due: '2025-12-31' });
    expect(parseDeadline('từ tháng 3 đến tháng 6 năm 2026', dctx)).toMatchObject({ kind: 'period', start: '2026-03-01', due: '2026-06-30' });
    // A range that runs backwards or past December is a typo to show, not a period to guess.
    expect(parseDeadline('Tháng 12 - 11/2025', dctx).kind).toBe('unspecified');
    expect(parseDeadline('Tháng 11 - 13/2025', dctx).kind).toBe('unspecified');
  });
});

describe('parseDeadline: the forms of the import issue beyond domain.md', () => {
  const issued = { issuedOn: '2024-03-05' };
  it.each([
    ['chậm nhất ngày 30/6/2024', 'date', '2024-06-30', null, null],
    ['trước 31/12/2024', 'date', '2024-12-31', null, null],
    ['Quý III năm 2024', 'quarter', '2024-09-30', '2024-07-01', null],
    ['trong tháng 10 năm 2024', 'month', '2024-10-31', '2024-10-01', null],
    ['6 tháng đầu năm 2024', 'period', '2024-06-30', '2024-01-01', null],
    ['6 tháng cuối năm', 'period', '2024-12-31', '2024-07-01', null],
    ['hằng tháng', 'recurring', null, null, 'monthly'],
    ['hàng quý', 'recurring', null, null, 'quarterly'],
    ['hằng năm', 'recurring', null, null, 'yearly'],
    ['định kỳ 6 tháng', 'recurring', null, null, 'half_yearly'],
    ['thường xuyên', 'continuous', null, null, null],
    ['6/2024', 'month', '2024-06-30', '2024-06-01', null],
    ['Tháng 10', 'month', '2024-10-31', '2024-10-01', null],
    ['Tháng 1', 'month', '2025-01-31', '2025-01-01', null],
    ['Quý II', 'quarter', '2024-06-30', '2024-04-01', null],
  ])('%s -> %s', (text, kind, due, start, recurrence) => {
    expect(parseDeadline(text, issued)).toEqual({ text, kind, due, start, recurrence });
  });

  it('finds "chậm nhất ngày …" and "6 tháng đầu năm …" inside sentences', () => {
    expect(findDeadlineInSentence('Các sở báo cáo kết quả chậm nhất ngày 30/6/2024.', issued)?.due).toBe('2024-06-30');
    expect(findDeadlineInSentence('Tổ chức sơ kết trong 6 tháng đầu năm 2025', issued)?.due).toBe('2025-06-30');
  });
});

describe('the deadline view of the importer', () => {
  it.each(['Quý IV/2021', 'Định kỳ hàng năm', 'Đã ban hành Kế hoạch', 'thường xuyên', 'Theo tiến độ', '2021-2025', 'định kỳ 6 tháng'])(
    '%s converts to its view and back without loss',
    (text) => {
      const spec = parseDeadline(text, ctx);
      expect(deadlineOfView(viewOfDeadline(spec))).toEqual(spec);
    },
  );

  it('groups the forms into the families a person plans with', () => {
    expect(viewOfDeadline(parseDeadline('Tháng 9/2021', ctx))).toEqual({
      text: 'Tháng 9/2021',
      kind: 'due',
      due: '2021-09-30',
      start: '2021-09-01',
      form: 'month',
    });
    expect(viewOfDeadline(parseDeadline('định kỳ 6 tháng', ctx))).toMatchObject({ kind: 'recurring', every: 'half-year' });
    expect(viewOfDeadline(parseDeadline('Theo tiến độ dự án', ctx))).toMatchObject({ kind: 'unknown' });
  });
});

describe('parseDeadline: years and days no calendar has are unreadable, never another date', () => {
  const issued = { issuedOn: '2026-03-01' };
  it.each([
    'trước ngày 31/12/99999', // was read as 31/12 of the issue year
    'ngày 31 tháng 12 năm 20255', // was read as 2025
    'Quý II/20255',
    'Quý II/3000',
    'Tháng 5/0000',
    'tháng 10 năm 12345',
    '12/99999',
    '6 tháng đầu năm 20255',
    '2021-20255',
    '0000-2025',
    'Năm 1800',
    'trước ngày 31/12/0000',
    'trước ngày 31/12/25',
    'trước ngày 31/02/2025',
    'trước ngày 00/12/2025',
    'trước ngày 15/13/2025',
  ])('%s -> unspecified, text kept', (text) => {
    expect(parseDeadline(text, issued)).toMatchObject({ text, kind: 'unspecified', due: null });
  });

  it('still reads the years of the range it accepts', () => {
    expect(parseDeadline('trước ngày 31/12/2200', issued).due).toBe('2200-12-31');
    expect(parseDeadline('Quý I/1900', issued).due).toBe('1900-03-31');
  });

  it('keeps an unreadable deadline stated in a sentence as that phrase, to be warned about', () => {
    expect(findDeadlineInSentence('Trước ngày 31/12/20255 xây dựng đề án', issued)).toMatchObject({ kind: 'unspecified', text: 'Trước ngày 31/12/20255' });
    expect(findDeadlineInSentence('báo cáo chậm nhất ngày 31/02', issued)).toMatchObject({ kind: 'unspecified', text: 'chậm nhất ngày 31/02' });
    expect(findDeadlineInSentence('Tăng cường kỷ cương thu, chi ngân sách.', issued)).toBeNull();
  });
});
