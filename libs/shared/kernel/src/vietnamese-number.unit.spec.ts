import fc from 'fast-check';
import { parseVietnameseNumber, readTarget } from './vietnamese-number';

/** Writes a number the way a Vietnamese document does: "." between thousands, "," before decimals. */
const writeVietnamese = (n: number, decimals: number): string => {
  const [whole, fraction] = n.toFixed(decimals).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return fraction ? `${grouped},${fraction}` : grouped;
};

describe('Vietnamese numbers', () => {
  it.each([
    ['7,5', 7.5],
    ['8.300', 8300],
    ['1.234,5', 1234.5],
    ['14.740', 14740],
    ['100,0', 100],
    ['30', 30],
  ])('%s is %d', (text, value) => expect(parseVietnameseNumber(text)).toBe(value));

  it('reads back any number written the Vietnamese way', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 2 }), (cents, decimals) => {
        const n = Number((cents / 100).toFixed(decimals));
        expect(parseVietnameseNumber(writeVietnamese(n, decimals))).toBeCloseTo(n, decimals);
      }),
    );
  });

  it('never throws, and reads nothing from text without a number', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const value = parseVietnameseNumber(text);
        if (!/\d/.test(text)) expect(value).toBeNull();
      }),
    );
  });
});

describe('indicator targets', () => {
  it.each([
    ['7,5-8,0', { min: 7.5, max: 8 }],
    ['60% - 70%', { min: 60, max: 70 }],
    ['8.300-8.500', { min: 8300, max: 8500 }],
    ['<3', { max: 3 }],
    ['> 75', { min: 75 }],
    ['75,0', { value: 75 }],
    ['~30', { value: 30 }],
    ['Cơ bản không còn hộ nghèo', {}],
  ])('%s', (text, meaning) => expect(readTarget(text)).toEqual(meaning));

  it('a range written from any two numbers reads back as that range', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999 }), fc.integer({ min: 0, max: 99_999 }), fc.constantFrom('-', ' - ', '–'), (a, b, dash) => {
        const [lo, hi] = a <= b ? [a / 10, b / 10] : [b / 10, a / 10];
        expect(readTarget(`${writeVietnamese(lo, 1)}${dash}${writeVietnamese(hi, 1)}`)).toEqual({ min: lo, max: hi });
      }),
    );
  });
});
