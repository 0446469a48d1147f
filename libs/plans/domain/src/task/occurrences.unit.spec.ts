import { occurrencesOf, occurrencesUntil, weeklyOccurrencesUntil } from './occurrences';

describe('Occurrences of a repeating duty', () => {
  it('are the calendar quarters from the one the task entered, each due on its last day', () =>
    expect(occurrencesUntil('2021-08-10', 3, new Date('2022-01-05T00:00:00Z'))).toEqual([
      { n: 1, periodStart: '2021-07-01', due: '2021-09-30' },
      { n: 2, periodStart: '2021-10-01', due: '2021-12-31' },
      { n: 3, periodStart: '2022-01-01', due: '2022-03-31' },
    ]));

  it('follow months, halves and years alike, in Vietnam time', () => {
    expect(occurrencesUntil('2024-02-29', 1, new Date('2024-03-31T17:00:00Z')).map((o) => o.due)).toEqual(['2024-02-29', '2024-03-31', '2024-04-30']);
    expect(occurrencesUntil('2024-03-21', 6, new Date('2024-07-01T00:00:00Z')).map((o) => o.due)).toEqual(['2024-06-30', '2024-12-31']);
    expect(occurrencesUntil('2023-05-01', 12, new Date('2024-12-31T00:00:00Z')).map((o) => o.due)).toEqual(['2023-12-31', '2024-12-31']);
  });

  describe('of a weekly duty', () => {
    const weekly = (weekday?: 1 | 2 | 3 | 4 | 5 | 6 | 7) => ({
      text: 'hằng tuần',
      kind: 'recurring' as const,
      due: null,
      start: null,
      recurrence: 'weekly' as const,
      weekday,
    });

    it('are the Monday-start weeks begun, each due on its Friday, from the week of the issue day', () =>
      // Given a duty "thứ Sáu hằng tuần" issued on Wednesday 1 September 2021
      // When asked on Tuesday 14 September
      // Then three weeks have begun, due on 3, 10 and 17 September
      expect(occurrencesOf(weekly(5), '2021-09-01', new Date('2021-09-14T00:00:00Z'))).toEqual([
        { n: 1, periodStart: '2021-08-30', due: '2021-09-03' },
        { n: 2, periodStart: '2021-09-06', due: '2021-09-10' },
        { n: 3, periodStart: '2021-09-13', due: '2021-09-17' },
      ]));

    it('begin a week at midnight in Vietnam, not in UTC', () => {
      // Monday 13 September 2021 00:00 in Hà Nội is Sunday 17:00 UTC
      expect(weeklyOccurrencesUntil('2021-09-01', 5, new Date('2021-09-12T16:59:00Z')).map((o) => o.periodStart)).toEqual(['2021-08-30', '2021-09-06']);
      expect(weeklyOccurrencesUntil('2021-09-01', 5, new Date('2021-09-12T17:00:00Z')).map((o) => o.periodStart)).toEqual([
        '2021-08-30',
        '2021-09-06',
        '2021-09-13',
      ]);
    });

    it('are due on the day named, and owe nothing for a day before the duty existed', () => {
      // Thursday (thứ Năm) of the issue week is still ahead on Wednesday: it is the first
      expect(occurrencesOf(weekly(4), '2021-09-01', new Date('2021-09-07T00:00:00Z')).map((o) => o.due)).toEqual(['2021-09-02', '2021-09-09']);
      // Monday (thứ Hai) of the issue week has passed: the first is the next Monday
      expect(occurrencesOf(weekly(1), '2021-09-01', new Date('2021-09-07T00:00:00Z'))).toEqual([{ n: 1, periodStart: '2021-09-06', due: '2021-09-06' }]);
      // Sunday (Chủ nhật) ends its week; weeks run across a year's end
      expect(occurrencesOf(weekly(7), '2021-12-29', new Date('2022-01-04T00:00:00Z'))).toEqual([
        { n: 1, periodStart: '2021-12-27', due: '2022-01-02' },
        { n: 2, periodStart: '2022-01-03', due: '2022-01-09' },
      ]);
    });

    it('fall on Friday, a working week, when no day is named', () =>
      expect(occurrencesOf(weekly(), '2024-02-26', new Date('2024-03-01T00:00:00Z'))).toEqual([{ n: 1, periodStart: '2024-02-26', due: '2024-03-01' }]));

    it('are opened at most 1,000 at once, as monthly ones are, after years of downtime', () => {
      // 999 weeks after the first Monday, 30 August 2021
      const caughtUp = occurrencesOf(weekly(5), '2021-09-01', new Date('2045-01-01T00:00:00Z'));
      expect(caughtUp).toHaveLength(1000);
      expect(caughtUp[999]).toEqual({ n: 1000, periodStart: '2040-10-22', due: '2040-10-26' });
    });
  });
});
