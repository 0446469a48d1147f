import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { ImportError, parsePlan, type ParsedPlan } from './index';
import { directoryOf, manifest, seedText } from './test-seeds';

const GOLDEN = path.join(__dirname, 'golden');
const LEADERS: Record<string, string[]> = {
  'ha-noi': (JSON.parse(fs.readFileSync(path.join(__dirname, '../../../seeds/leaders/ha-noi.json'), 'utf8')) as { name: string }[]).map((l) => l.name),
};

const parseSeed = (file: string, text = seedText(file)): ParsedPlan => {
  const { cityId } = manifest().find((entry) => entry.file === file)!;
  return parsePlan(text, { directory: directoryOf(cityId), leaders: LEADERS[cityId] ?? [], document: file });
};

const seeds = manifest().map((entry) => entry.file);

describe('parsePlan on the seeds', () => {
  // Golden files: the whole ParsedPlan of each seed, reviewed against the text when written
  // (UPDATE_GOLDEN=1 rewrites them; review the diff before committing it).
  it.each(seeds)('%s matches its golden file', (file) => {
    const golden = path.join(GOLDEN, file.replace(/\.txt$/, '.json'));
    const parsed = parseSeed(file);
    if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(golden, `${JSON.stringify(parsed, null, 2)}\n`);
    expect(parsed).toEqual(JSON.parse(fs.readFileSync(golden, 'utf8')));
  });

  it.each([
    // file, tasks, top-level indicators (domain.md's counts are the floor)
    ['ha-noi-183-KH-UBND-2021.txt', 43, 20],
    ['hai-phong-86-KH-UBND-2020.txt', 175, 30],
    ['hai-phong-02-CT-UBND-2023.txt', 39, 0],
    ['hai-phong-40-KH-UBND-2023.txt', 10, 0],
    ['bach-long-vi-35-KH-UBND-2024.txt', 18, 0],
  ])('%s: %d tasks, %d indicators', (file, tasks, indicators) => {
    const parsed = parseSeed(file);
    expect(parsed.tasks).toHaveLength(tasks);
    expect(parsed.indicators.filter((i) => i.parent === null)).toHaveLength(indicators);
  });

  it.each(seeds)('%s: CRLF line ends and decomposed Unicode (NFD) give the same result', (file) => {
    const text = seedText(file);
    expect(parseSeed(file, text.replace(/\n/g, '\r\n').normalize('NFD'))).toEqual(parseSeed(file, text));
  });

  it.each(seeds)('%s: every task and indicator points at the line where it starts', (file) => {
    const lines = seedText(file)
      .split('\n')
      .map((l) =>
        l
          .normalize('NFC')
          .replace(/\*+/g, '')
          .replace(/\s*\|$/, '')
          .trim(),
      );
    const parsed = parseSeed(file);
    for (const task of parsed.tasks) {
      const line = lines[task.source.line - 1];
      if (task.ref.startsWith('PL')) {
        // A table row starts at its number cell.
        expect([task.ref, line]).toEqual([task.ref, task.ref.split('.').at(-1)]);
      } else {
        const start = task.title.slice(0, 12);
        expect([task.ref, line.includes(start)]).toEqual([task.ref, true]);
      }
    }
    for (const indicator of parsed.indicators) {
      const line = lines[indicator.source.line - 1];
      const expected = indicator.parent ? indicator.name.slice(0, 8) : indicator.ref.split('.').at(-1)!;
      expect([indicator.ref, line.includes(expected)]).toEqual([indicator.ref, true]);
    }
  });

  it('hai-phong-86 reads the pages it prints twice once, and says so', () => {
    const parsed = parseSeed('hai-phong-86-KH-UBND-2020.txt');
    expect(parsed.indicators.filter((i) => i.targets[0].horizon === 2025)).toHaveLength(16);
    expect(parsed.indicators.filter((i) => i.targets[0].horizon === 2030)).toHaveLength(14);
    expect(parsed.warnings.some((w) => w.code === 'duplicate-page')).toBe(true);
  });

  it('ha-noi-183: indicator rows, sub-rows and merged lead cells of Phụ lục 1', () => {
    const parsed = parseSeed('ha-noi-183-KH-UBND-2021.txt');
    const byRef = (ref: string) => parsed.indicators.find((i) => i.ref === ref)!;
    expect(byRef('PL1.1')).toMatchObject({
      group: 'A. VỀ KINH TẾ',
      name: 'Tốc độ tăng tổng sản phẩm trên địa bàn (GRDP) bình quân giai đoạn 2021-2025',
      unit: '%',
      targets: [{ horizon: 2025, text: '7,5-8,0', min: 7.5, max: 8 }],
      lead: { agencyId: 'so-ke-hoach-dau-tu' },
      parent: null,
      source: { line: 745 },
    });
    expect(byRef('PL1.1.1')).toMatchObject({ name: 'Dịch vụ', parent: 'PL1.1', targets: [{ min: 8, max: 8.5 }] });
    // Row 4 prints no lead cell: it is merged with row 3's.
    expect(byRef('PL1.4')).toMatchObject({ unit: 'triệu tỷ đồng', lead: { agencyId: 'so-ke-hoach-dau-tu' } });
    expect(byRef('PL1.3').targets[0]).toMatchObject({ text: '8.300-8.500', min: 8300, max: 8500 });
    expect(byRef('PL1.11').targets[0]).toMatchObject({ text: '<3', max: 3 });
    expect(byRef('PL1.12').targets[0]).toEqual({ horizon: 2025, text: 'Cơ bản không còn hộ nghèo' });
    expect(byRef('PL1.19').targets[0]).toMatchObject({ text: '> 75', min: 75 });
  });

  it('ha-noi-183: supervisors name the intended leader despite the source typos', () => {
    const parsed = parseSeed('ha-noi-183-KH-UBND-2021.txt');
    const supervisor = (ref: string) => parsed.tasks.find((t) => t.ref === ref)!.supervisor;
    expect(supervisor('PL2.I.7')).toEqual({ text: 'PCT Dương Đức Tuần', name: 'Dương Đức Tuấn' });
    expect(supervisor('PL2.III.34')).toEqual({ text: 'PCT Nguvễn Trọng Đông', name: 'Nguyễn Trọng Đông' });
    expect(supervisor('PL2.I.1')).toEqual({ text: 'PCT TT Lê Hồng Sơn', name: 'Lê Hồng Sơn' });
    expect(parsed.warnings.filter((w) => w.code === 'leader-corrected').map((w) => w.line)).toEqual([
      parsed.tasks.find((t) => t.ref === 'PL2.I.7')!.source.line,
      parsed.tasks.find((t) => t.ref === 'PL2.III.34')!.source.line,
      parsed.tasks.find((t) => t.ref === 'PL2.III.35')!.source.line,
    ]);
  });

  it('reads the document block: kind, number, place, issuer, implements', () => {
    expect(parseSeed('hai-phong-02-CT-UBND-2023.txt').document).toMatchObject({
      kind: 'CT',
      planKind: 'directive',
      number: '02/CT-UBND',
      issuedOn: '2023-01-19',
      place: 'Hải Phòng',
      issuer: 'UBND thành phố Hải Phòng',
      implements: ['01/NQ-CP', '08-NQ/TU', '80/NQ-HĐND'],
      truncated: false,
    });
    expect(parseSeed('hai-phong-02-CT-UBND-2023.txt').warnings[0]).toEqual({
      code: 'boilerplate-dropped',
      message: '3 line(s) of website text around the document were left out.',
    });
    expect(parseSeed('hai-phong-40-KH-UBND-2023.txt').document.truncated).toBe(true);
  });
});

describe('parsePlan on input that is not a plan', () => {
  it('refuses empty, binary and oversized input with a clear error', () => {
    expect(() => parsePlan('  \n ')).toThrow(/empty/);
    expect(() => parsePlan('Số: 1/KH-UBND\u0000\u0001\u0002')).toThrow(/not text/);
    expect(() => parsePlan(`Số: 1/KH-UBND\n${'x'.repeat(5 * 1024 * 1024)}`)).toThrow(/5 MB/);
    expect(() => parsePlan('Một đoạn văn bản bình thường.')).toThrow(ImportError);
  });

  const parseOrRefuse = (text: string): ParsedPlan | null => {
    try {
      return parsePlan(text, { directory: directoryOf('hai-phong') });
    } catch (error) {
      if (error instanceof ImportError) return null; // a clear refusal is an answer
      throw error;
    }
  };

  it('never throws anything but a clear refusal on random text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 2000 }), (text) => {
        parseOrRefuse(`Số: 12/KH-UBND\nHà Nội, ngày 1 tháng 2 năm 2024\n${text}`);
      }),
      { numRuns: 200 },
    );
  });

  // Mutations of real documents: lines dropped, repeated, swapped, cut, pipes and numbers sprinkled.
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('drop' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
    fc.record({ kind: fc.constant('repeat' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 60 }) }),
    fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), other: fc.nat() }),
    fc.record({
      kind: fc.constant('insert' as const),
      at: fc.nat(),
      text: fc.constantFrom('|', '', '[...]', '1', 'II', 'PHỤ LỤC 3', '- ', 'a.', 'Quý V/2021', '(3)', 'TT'),
    }),
    fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  );
  const mutate = (lines: string[], m: fc.Arbitrary<unknown> extends never ? never : any): string[] => {
    const at = m.at % Math.max(lines.length, 1);
    switch (m.kind) {
      case 'drop':
        return [...lines.slice(0, at), ...lines.slice(at + m.length)];
      case 'repeat':
        return [...lines.slice(0, at + m.length), ...lines.slice(at, at + m.length), ...lines.slice(at + m.length)];
      case 'swap': {
        const copy = [...lines];
        const other = m.other % Math.max(lines.length, 1);
        [copy[at], copy[other]] = [copy[other], copy[at]];
        return copy;
      }
      case 'insert':
        return [...lines.slice(0, at), m.text, ...lines.slice(at)];
      default:
        return lines.slice(0, at);
    }
  };

  it.each(seeds)('%s mutated: never crashes, never hangs, and every task it keeps points inside the text', (file) => {
    const original = seedText(file).split('\n');
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), (mutations) => {
        const lines = mutations.reduce(mutate, original);
        const started = Date.now();
        const parsed = parseOrRefuse(lines.join('\n'));
        expect(Date.now() - started).toBeLessThan(5000); // a hang, not a speed goal (see bench/)
        for (const task of parsed?.tasks ?? []) {
          expect(task.source.line).toBeGreaterThanOrEqual(1);
          expect(task.source.line).toBeLessThanOrEqual(lines.length);
        }
      }),
      { numRuns: 40 },
    );
  });
});
