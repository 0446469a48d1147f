import { occurrencesUntil } from './occurrences';

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
});
