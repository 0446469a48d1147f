import { assess, indicatorTable, targetFor } from './indicators';
import type { ReportedIndicator } from './plan-feed';

const indicator = (over: Partial<ReportedIndicator> = {}): ReportedIndicator => ({
  ref: '1',
  group: null,
  name: 'Tốc độ tăng trưởng GRDP bình quân',
  unit: '%',
  targets: [
    { horizon: 2025, text: '7,5-8,0', min: 7.5, max: 8 },
    { horizon: 2030, text: '8,5', value: 8.5 },
  ],
  lead: { agencyId: 'so-ke-hoach-dau-tu', name: 'Sở Kế hoạch và Đầu tư' },
  ...over,
});

describe('Indicators (chỉ tiêu): target, actual, achievement and trend', () => {
  it('takes the target of the nearest horizon not yet past', () => {
    expect(targetFor(indicator(), 2024)?.text).toBe('7,5-8,0');
    expect(targetFor(indicator(), 2026)?.text).toBe('8,5');
    expect(targetFor(indicator(), 2031)?.text).toBe('8,5');
    expect(targetFor(indicator({ targets: [{ horizon: null, text: 'Cơ bản không còn hộ nghèo' }] }), 2024)?.text).toBe('Cơ bản không còn hộ nghèo');
    expect(targetFor(indicator({ targets: [] }), 2024)).toBeNull();
  });

  it('judges đạt, không đạt, vượt against ranges, floors, ceilings and single numbers', () => {
    const range = { horizon: 2025, text: '7,5-8,0', min: 7.5, max: 8 };
    expect([7.2, 7.5, 8, 8.3].map((v) => assess(range, v))).toEqual(['not_met', 'met', 'met', 'exceeded']);
    expect([59, 60, 75].map((v) => assess({ horizon: 2025, text: 'trên 60%', min: 60 }, v))).toEqual(['not_met', 'met', 'met']);
    expect([2, 3, 3.5].map((v) => assess({ horizon: 2025, text: 'dưới 3%', max: 3 }, v))).toEqual(['met', 'met', 'not_met']);
    expect([80, 85, 90].map((v) => assess({ horizon: 2025, text: '85', value: 85 }, v))).toEqual(['not_met', 'met', 'exceeded']);
    expect(assess({ horizon: null, text: 'Cơ bản không còn hộ nghèo' }, 1)).toBeNull();
    expect(assess(range, null)).toBeNull();
  });

  it("reads the lead agency's line of the period by the indicator's number or name, and the trend from the last period that had a number", () => {
    const lead = { agencyId: 'so-ke-hoach-dau-tu', agencyName: 'Sở Kế hoạch và Đầu tư' };
    const other = { agencyId: 'so-tai-chinh', agencyName: 'Sở Tài chính' };
    const [row] = indicatorTable(
      [indicator()],
      2024,
      [
        { ...other, indicator: 'tốc độ tăng trưởng  GRDP bình quân', actual: '6,9' },
        { ...lead, indicator: 'TỐC ĐỘ TĂNG TRƯỞNG GRDP BÌNH QUÂN', actual: '7,8%' },
      ],
      [
        { period: '2024-Q1', lines: [{ ...lead, indicator: '1', actual: '7,1' }] },
        { period: '2024-Q2', lines: [{ ...lead, indicator: '1', actual: 'chưa có số liệu' }] },
      ],
    );
    expect(row).toMatchObject({ actual: '7,8%', value: 7.8, reportedBy: 'Sở Kế hoạch và Đầu tư', achievement: 'met', trend: 'up' });
    expect(row.history).toEqual([
      { period: '2024-Q1', actual: '7,1', value: 7.1 },
      { period: '2024-Q2', actual: 'chưa có số liệu', value: null },
    ]);
    const [unreported] = indicatorTable([indicator()], 2024, [], []);
    expect(unreported).toMatchObject({ actual: null, achievement: null, trend: null, target: { text: '7,5-8,0' } });
  });
});
