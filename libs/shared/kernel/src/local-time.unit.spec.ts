import { isCalendarDay } from './local-time';

describe('isCalendarDay: a day as the API writes it, that exists', () => {
  it.each(['2026-12-31', '2024-02-29', '1900-01-01', '2200-12-31'])('accepts %s', (day) => expect(isCalendarDay(day)).toBe(true));

  it.each([
    ['2025-02-31', 'a day February does not have (Date would roll it to 3 March)'],
    ['2025-02-29', 'the 29th in a year that is not leap'],
    ['2025-13-01', 'a thirteenth month'],
    ['2025-01-00', 'day zero'],
    ['20255-01-01', 'a five-digit year'],
    ['1899-12-31', 'a year no plan means'],
    ['31/12/2026', 'the way documents write it'],
    ['2026-1-5', 'without its zeros'],
  ])('refuses %s: %s', (day) => expect(isCalendarDay(day)).toBe(false));
});
