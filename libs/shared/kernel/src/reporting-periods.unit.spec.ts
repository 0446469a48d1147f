import fc from 'fast-check';
import { addDays, format, parseISO } from 'date-fns';
import { endOfLocalDay, localDayOf } from './local-time';
import { PERIOD_KINDS, periodContaining, periodOfKey, periodsOf, type PeriodKind } from './reporting-periods';

const next = (day: string) => format(addDays(parseISO(day), 1), 'yyyy-MM-dd');
const years = fc.integer({ min: 1990, max: 2100 });

describe('Reporting periods of Nghị định 09/2019/NĐ-CP', () => {
  it('cuts quarterly data from the 15th of the month before the quarter to the 14th of its last month', () => {
    expect(periodsOf(2024, 'quarter').map(({ key, from, to, due, label }) => ({ key, from, to, due, label }))).toEqual([
      { key: '2024-Q1', from: '2023-12-15', to: '2024-03-14', due: '2024-03-20', label: 'Quý I/2024' },
      { key: '2024-Q2', from: '2024-03-15', to: '2024-06-14', due: '2024-06-20', label: 'Quý II/2024' },
      { key: '2024-Q3', from: '2024-06-15', to: '2024-09-14', due: '2024-09-20', label: 'Quý III/2024' },
      { key: '2024-Q4', from: '2024-09-15', to: '2024-12-14', due: '2024-12-20', label: 'Quý IV/2024' },
    ]);
  });

  it('cuts six-month data from 15/12 to 14/6, nine-month to 14/9, yearly from 15/12 of the year before to 14/12', () => {
    expect(periodsOf(2025, 'half')[0]).toMatchObject({ key: '2025-H1', from: '2024-12-15', to: '2025-06-14', label: '6 tháng đầu năm 2025' });
    expect(periodsOf(2025, 'half')[1]).toMatchObject({ key: '2025-H2', from: '2025-06-15', to: '2025-12-14' });
    expect(periodsOf(2025, 'nine_months')).toMatchObject([{ key: '2025-9M', from: '2024-12-15', to: '2025-09-14', due: '2025-09-20' }]);
    expect(periodsOf(2025, 'year')).toMatchObject([{ key: '2025-Y', from: '2024-12-15', to: '2025-12-14', due: '2025-12-20', label: 'Năm 2025' }]);
    expect(periodsOf(2024, 'month')[1]).toMatchObject({ key: '2024-M02', from: '2024-01-15', to: '2024-02-14', label: 'Tháng 2/2024' });
  });

  it("takes the city's own cut-off and sending days", () => {
    expect(periodsOf(2024, 'quarter', { dueDay: { quarter: 17 } })[0]).toMatchObject({ from: '2023-12-15', to: '2024-03-14', due: '2024-03-17' });
    expect(periodsOf(2024, 'year', { dueDay: 16 })[0].due).toBe('2024-12-16');
    expect(periodsOf(2024, 'month', { cutoffDay: 20 })[0]).toMatchObject({ from: '2023-12-20', to: '2024-01-19' });
    // A cut-off past a month's end falls on its last day.
    expect(periodsOf(2023, 'month', { cutoffDay: 31 })[1]).toMatchObject({ from: '2023-01-31', to: '2023-02-27' });
  });

  it.each(['month', 'quarter', 'half'] as PeriodKind[])('tiles %s periods over the years with no gap and no overlap', (kind) =>
    fc.assert(
      fc.property(years, (year) => {
        const periods = [...periodsOf(year, kind), ...periodsOf(year + 1, kind)];
        periods.slice(1).forEach((p, i) => expect(p.from).toBe(next(periods[i].to)));
        expect(periods[0].from).toBe(`${year - 1}-12-15`);
        expect(periods.at(-1)!.to).toBe(`${year + 1}-12-14`);
      }),
    ),
  );

  it('makes a year of its quarters, a quarter of its months, nine months of three quarters, every period end after it starts and due after its data', () =>
    fc.assert(
      fc.property(years, (year) => {
        const [q1, q2, q3, q4] = periodsOf(year, 'quarter');
        const [y] = periodsOf(year, 'year');
        const [nine] = periodsOf(year, 'nine_months');
        const [h1, h2] = periodsOf(year, 'half');
        const months = periodsOf(year, 'month');
        expect([y.from, y.to]).toEqual([q1.from, q4.to]);
        expect([nine.from, nine.to]).toEqual([q1.from, q3.to]);
        expect([h1.from, h1.to, h2.from, h2.to]).toEqual([q1.from, q2.to, q3.from, q4.to]);
        [q1, q2, q3, q4].forEach((q, i) => expect([q.from, q.to]).toEqual([months[3 * i].from, months[3 * i + 2].to]));
        for (const kind of PERIOD_KINDS) {
          for (const p of periodsOf(year, kind)) {
            expect(p.from < p.to).toBe(true);
            expect(p.due > p.to).toBe(true);
            expect(p.year).toBe(year);
          }
        }
      }),
    ));

  it('finds a period again from its key, and the period holding a day', () =>
    fc.assert(
      fc.property(years, fc.constantFrom(...PERIOD_KINDS), fc.integer({ min: 0, max: 364 }), (year, kind, offset) => {
        for (const p of periodsOf(year, kind)) expect(periodOfKey(p.key)).toEqual(p);
        const day = format(addDays(parseISO(`${year}-01-01`), offset), 'yyyy-MM-dd');
        const holding = periodContaining(day, kind);
        if (kind === 'nine_months' && holding === null) return;
        expect(holding).not.toBeNull();
        expect(holding!.from <= day && day <= holding!.to).toBe(true);
      }),
    ));

  it('names no period for a key it does not know', () => {
    for (const key of ['2024-Q5', '2024-M13', '2024-M00', '2024', 'Q1-2024', '24-Q1', '2024-H3', '']) expect(periodOfKey(key)).toBeNull();
    expect(periodOfKey('2024-q2')?.key).toBe('2024-Q2');
  });
});

describe('local days in Vietnam (UTC+7)', () => {
  it('end at 23:59:59.999 local, the last instant a deadline of that day is met', () => {
    expect(endOfLocalDay('2024-03-20').toISOString()).toBe('2024-03-20T16:59:59.999Z');
    expect(localDayOf(new Date('2024-03-20T16:59:59.999Z'))).toBe('2024-03-20');
    expect(localDayOf(new Date('2024-03-20T17:00:00.000Z'))).toBe('2024-03-21');
  });
});
