import { isCalendarDay } from '@mandate/kernel';
import type { PlanKind } from '@mandate/plans-domain';
import { collapse, fold, isUpperCaseLine, titleCase } from './text';

export type Metadata = {
  readonly number: string | null;
  /** The number line is printed but left blank ("Số:      /KH-UBND"): a pre-signature copy. */
  readonly numberBlank: boolean;
  /** Where the number and date came from: the document's own header, or the Quyết định it is attached to. */
  readonly numberFrom: 'header' | 'decision' | null;
  /** The date line as printed when its day, month or year is left blank ("ngày    tháng 12 năm 2025"). */
  readonly blankDate: string | null;
  /** 0-based index of the line holding the number. */
  readonly numberAt: number;
  readonly kind: PlanKind;
  /** The type code inside the number: "KH", "CT", "QĐ", "CTr". */
  readonly kindCode: string;
  readonly place: string | null;
  readonly implementsNumbers: readonly string[];
  readonly title: string | null;
  readonly issuedOn: string | null;
  readonly effectiveOn: string | null;
  readonly issuer: string | null;
  readonly signer: string | null;
  readonly fields: readonly string[];
  readonly implements: readonly string[];
};

const pad = (n: string): string => n.padStart(2, '0');
const isoOf = (day: string, month: string, year: string): string => `${year}-${pad(month)}-${pad(day)}`;

/** Website metadata tables print "Label | value |" or "Label value" on one line. */
const tableValue = (lines: readonly string[], label: string): string | null => {
  const pattern = new RegExp(`^${label}\\s*(?:[|:]\\s*)?(.+?)\\s*\\|?\\s*$`, 'iu');
  for (const line of lines.slice(0, 40)) {
    const match = pattern.exec(line.trim());
    // "Người ký:" with the name elsewhere is no value (it read as the signer ":").
    if (match && /[\p{L}\d]/u.test(match[1])) return match[1].trim();
  }
  return null;
};

const slashDate = (text: string | null): string | null => {
  const match = text ? /(\d{1,2})\/(\d{1,2})\/(\d{4})/.exec(text) : null;
  return match ? isoOf(match[1], match[2], match[3]) : null;
};

const LEVELS = /^(THÀNH PHỐ|TỈNH|QUẬN|HUYỆN|THỊ XÃ)\s+(.+)$/u;

const readIssuer = (lines: readonly string[], placeLine: string | null): string | null => {
  for (let i = 0; i < Math.min(lines.length, 60); i++) {
    if (!/^ỦY BAN NHÂN DÂN\b/u.test(lines[i].trim())) continue;
    const sameLine = lines[i]
      .replace(/^ỦY BAN NHÂN DÂN/u, '')
      .replace(/\|/g, '')
      .trim();
    const next = sameLine || (lines[i + 1] ?? '').replace(/\|/g, '').trim();
    const level = LEVELS.exec(next);
    if (level) return `UBND ${level[1].toLowerCase()} ${titleCase(level[2])}`;
  }
  const declared = tableValue(lines, 'Cơ quan ban hành');
  if (declared) {
    const level = LEVELS.exec(declared.toUpperCase());
    return level ? `UBND ${level[1].toLowerCase()} ${titleCase(level[2])}` : declared;
  }
  // District plans often print no header block: the body names the level, the date line names the place.
  const body = lines.join('\n');
  const level = /Ủy ban nhân dân (huyện|quận|thị xã|thành phố|tỉnh)(?= ban hành| xây dựng)/iu.exec(body);
  const place = placeLine ? /^([^,]+),\s*ngày/u.exec(placeLine.trim()) : null;
  if (level && place) return `UBND ${level[1].toLowerCase()} ${collapse(place[1])}`;
  return null;
};

const KIND_LINE = /^(KẾ HOẠCH(?: HÀNH ĐỘNG)?|CHỈ THỊ|CHƯƠNG TRÌNH(?: HÀNH ĐỘNG)?|QUYẾT ĐỊNH|NGHỊ QUYẾT|ĐỀ ÁN)$/u;

/** "183/KH-UBND" -> "KH"; "14-CTr/TU" -> "CTr"; otherwise from the title's first words. */
const kindCodeOf = (number: string | null, title: string | null, blankCode: string | null = null): string => {
  const code = number ? (/^\d+[a-z]?\/(\p{L}+)/u.exec(number) ?? /^\d+-(\p{L}+)\//u.exec(number)) : null;
  if (code) return code[1];
  if (blankCode) return blankCode;
  const t = fold(title ?? '');
  if (t.startsWith('chi thi')) return 'CT';
  if (t.startsWith('quyet dinh')) return 'QĐ';
  if (t.startsWith('chuong trinh')) return 'CTr';
  if (t.startsWith('nghi quyet')) return 'NQ';
  return 'KH';
};

const readTitle = (lines: readonly string[], from: number): { title: string | null; end: number } => {
  for (let i = from; i < Math.min(lines.length, from + 80); i++) {
    const line = lines[i].replace(/\|/g, '').trim();
    if (!KIND_LINE.test(line)) continue;
    const parts = [line];
    let j = i + 1;
    while (j < lines.length && lines[j].trim() === '') j++;
    if (j < lines.length) parts.push(lines[j].trim());
    j++;
    while (j < lines.length && lines[j].trim() !== '' && isUpperCaseLine(lines[j])) parts.push(lines[j++].trim());
    return { title: collapse(parts.join(' ')), end: j };
  }
  return { title: null, end: from };
};

const REFERENCE =
  /(Nghị quyết|Chương trình hành động|Chương trình|Chỉ thị|Kết luận|Quyết định|Kế hoạch|Công văn|Thông báo)\s+(?:số\s+)?(\d+[\w./-]*\/[\wĐđ./-]+)(?:,?\s*(?:ngày\s+)?(\d{1,2}\/\d{1,2}\/\d{4}|\d{1,2} tháng \d{1,2} năm \d{4}))?/giu;

const readImplements = (text: string, ownNumber: string | null): { text: string[]; numbers: string[] } => {
  const seen = new Set<string>();
  const found: string[] = [];
  const numbers: string[] = [];
  for (const match of collapse(text).matchAll(REFERENCE)) {
    const key = match[2].toUpperCase();
    if (seen.has(key) || (ownNumber && key === ownNumber.toUpperCase())) continue;
    seen.add(key);
    const kind = match[1][0].toUpperCase() + match[1].slice(1).toLowerCase();
    found.push(`${kind} số ${match[2]}${match[3] ? ` ngày ${match[3]}` : ''}`);
    numbers.push(match[2]);
  }
  return { text: found, numbers };
};

const CHAIR_LINE = /^(?:PHÓ )?CHỦ TỊCH\s*\|?$/u;
const SIGNER_LINE = /^([A-ZĐÀ-Ỹ][\p{L} ]{3,40}?)\s*\|?$/u;

/**
 * The name under the last "CHỦ TỊCH" line, past blank lines and lines of table pipes. Read line by line:
 * one regular expression over the body, with "(?:[\s|]*\n)*" for those lines, backtracked exponentially
 * on a run of "|" lines with no name after them (30 lines took 12 s).
 */
const readSigner = (lines: readonly string[]): string | null => {
  const end = lines.findIndex((line) => /^PHỤ LỤC\b/u.test(line.trim()));
  const body = end === -1 ? lines : lines.slice(0, end);
  let signer: string | null = null;
  for (let i = 0; i < body.length; i++) {
    if (!CHAIR_LINE.test(body[i].trim())) continue;
    let j = i + 1;
    while (j < body.length && /^[\s|]*$/.test(body[j])) j++;
    const name = j < body.length ? SIGNER_LINE.exec(body[j].trim()) : null;
    if (name) signer = collapse(name[1]);
  }
  return signer;
};

/** Reads what the document says about itself; fields it does not state come back null or empty. */
// "Số: 193 /UBND-KT": a number filled in at signing may leave a space before the slash; it is read without it.
const NUMBER = /(\d+[\wĐđ.-]*) ?(\/[\wĐđ-]+)/u;
const NUMBER_LINE = /^Số(?: hiệu)?\s*[:|]?\s*\d+[\wĐđ.-]* ?\/[\wĐđ-]+/u;
/** "Số:" alone, its number on the next line (text copied from a website, hard-wrapped). */
const NUMBER_LABEL = /^Số(?: hiệu)?\s*:\s*\|?$/u;
/** A pre-signature copy: the number is left for the clerk to fill in ("Số:      /KH-UBND", "Số: …/BCĐ"). */
const BLANK_NUMBER = /^Số(?: hiệu)?\s*:\s*[.…_\s]*\/([\p{L}\d-]+)\s*\|?$/u;
const HEADER_LINES = 60;

type NumberRead = { number: string | null; at: number; blankCode: string | null; blank: boolean };

/** The document's own number, in the header only: further down "Số" starts sentences ("Số lượng …"). */
const readNumber = (lines: readonly string[]): NumberRead => {
  const limit = Math.min(lines.length, HEADER_LINES);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (NUMBER_LINE.test(line)) {
      const number = NUMBER.exec(line)!;
      return { number: `${number[1]}${number[2]}`, at: i, blankCode: null, blank: false };
    }
    if (i >= limit) continue;
    if (NUMBER_LABEL.test(line)) {
      let j = i + 1;
      while (j < limit && /^[\s|]*$/.test(lines[j])) j++;
      const next = j < limit ? /^(\d+[\wĐđ.-]*\/[\wĐđ-]+)\s*\|?$/u.exec(lines[j].trim()) : null;
      if (next) return { number: next[1], at: i, blankCode: null, blank: false };
    }
    const blank = BLANK_NUMBER.exec(line);
    if (blank) return { number: null, at: i, blankCode: /^(\p{L}+)-/u.exec(blank[1])?.[1] ?? null, blank: true };
  }
  return { number: null, at: -1, blankCode: null, blank: false };
};

const DATE_LINE = /^[^,|]{2,40},\s*ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}/u;
/** The date line of a copy not yet signed: "Lâm Đồng, ngày       tháng 12 năm 2025". */
const BLANK_DATE_LINE = /^[^,|]{2,40},\s*ngày[\s.…_]*(?:\d{1,2})?[\s.…_]*tháng[\s.…_]*(?:\d{1,2})?[\s.…_]*năm[\s.…_]*(?:\d{4})?\s*\|?$/u;

/**
 * A date line a PDF's layout split over lines, the day and month stamped at signing on a line of their own:
 * "Lào Cai, ngày" / "tháng" / "năm 2026" / "10 01". Read from the place line and the few lines after it.
 */
const SPLIT_DATE_START = /^[^,|]{2,40},\s*ngày[\s.…_]*$/u;
const readSplitDate = (lines: readonly string[]): { at: number; issuedOn: string | null; text: string } | null => {
  const at = lines.slice(0, HEADER_LINES).findIndex((line) => SPLIT_DATE_START.test(line.trim()));
  if (at === -1) return null;
  const joined = collapse(
    lines
      .slice(at, at + 5)
      .join(' ')
      .replace(/\|/g, ' '),
  );
  // What the warning quotes: the date line, up to its year.
  const text = /^.*?năm[\s.…_]*\d{0,4}(?:\s+\d{1,2}\s+\d{1,2}(?!\d))?/u.exec(joined)?.[0] ?? collapse(lines[at]);
  const written = /ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})/u.exec(joined);
  const stamped = /ngày[\s.…_]*tháng[\s.…_]*năm\s+(\d{4})\s+(\d{1,2})\s+(\d{1,2})(?!\d)/u.exec(joined);
  const day = written ? isoOf(written[1], written[2], written[3]) : stamped ? isoOf(stamped[2], stamped[3], stamped[1]) : null;
  // A day that exists: an OCR'd "31 02" is no date.
  return { at, issuedOn: day && isCalendarDay(day) ? day : null, text };
};

/**
 * An attached plan names the Quyết định that issues it, under its title: "(Ban hành kèm theo Quyết định
 * số 2954/QĐ-UBND ngày 20/11/2025 của UBND tỉnh)". That decision's number and date are the plan's.
 */
const ISSUING_DECISION =
  /\(\s*(?:Ban hành\s+)?kèm theo Quyết định\s+(?:số\s*:?\s*)?(\d+[\wĐđ.-]*\/[\wĐđ-]+)\s*,?\s*ngày\s+(\d{1,2})(?:\/|\s+tháng\s+)(\d{1,2})(?:\/|\s+năm\s+)(\d{4})/iu;

/** Under the plan's title, or else under an appendix's heading (the plan's own caption may be left out). */
const readIssuingDecision = (lines: readonly string[], from: number): { number: string; issuedOn: string } | null => {
  const start = Math.max(0, from);
  const windows = [[start, start + 40]];
  lines.forEach((line, i) => {
    if (/^PHỤ LỤC\b/u.test(line.trim())) windows.push([i, i + 10]);
  });
  for (const [a, b] of windows) {
    const match = ISSUING_DECISION.exec(collapse(lines.slice(a, b).join(' ')));
    if (match) return { number: match[1], issuedOn: isoOf(match[2], match[3], match[4]) };
  }
  return null;
};

export const readMetadata = (lines: readonly string[]): Metadata & { readonly preambleEnd: number } => {
  const own = readNumber(lines);
  const numberLine = own.at;

  const placeIndex = lines.findIndex((line) => DATE_LINE.test(line.trim()));
  const blankDateIndex = placeIndex >= 0 ? -1 : lines.slice(0, HEADER_LINES).findIndex((line) => BLANK_DATE_LINE.test(line.trim()));
  const split = placeIndex >= 0 || blankDateIndex >= 0 ? null : readSplitDate(lines);
  const placeLine = placeIndex >= 0 ? lines[placeIndex] : blankDateIndex >= 0 ? lines[blankDateIndex] : split ? lines[split.at] : null;
  const placeDate = placeIndex >= 0 ? /ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})/u.exec(placeLine!) : null;
  const ownDate = placeDate ? isoOf(placeDate[1], placeDate[2], placeDate[3]) : (split?.issuedOn ?? slashDate(tableValue(lines, 'Ngày ban hành')));

  const { title, end } = readTitle(lines, Math.max(0, numberLine));
  // Only a document without its own number takes the issuing decision's (a plan saved without the decision).
  const decision = own.number ? null : readIssuingDecision(lines, end - 1);
  const number = own.number ?? decision?.number ?? null;
  const issuedOn = own.number ? ownDate : (decision?.issuedOn ?? ownDate);
  const kindText = fold(`${number ?? ''} ${title ?? ''}`);
  const kind: PlanKind = /\/ct-|^chi thi|\bchi thi\b/.test(kindText.slice(0, 40)) ? 'directive' : 'plan';

  const firstHeading = lines.findIndex((line, i) => i >= end && /^(I|A|1)\.\s/u.test(line.trim()));
  const preamble = lines.slice(end, firstHeading === -1 ? end + 30 : firstHeading).join('\n');
  const fieldsText = tableValue(lines, 'Lĩnh vực');

  const cited = readImplements(`${preamble}\n${title ?? ''}`, number);
  const place = placeLine ? /^\|?\s*([^,|]+?),\s*ngày/u.exec(placeLine.trim()) : null;
  return {
    number,
    numberBlank: own.blank && !decision,
    numberFrom: own.number ? 'header' : decision ? 'decision' : null,
    blankDate: issuedOn ? null : blankDateIndex >= 0 ? collapse(lines[blankDateIndex].replace(/\|/g, '')) : split ? split.text : null,
    numberAt: numberLine,
    kind,
    kindCode: kindCodeOf(number, title, own.blankCode),
    place: place ? collapse(place[1]) : null,
    implementsNumbers: cited.numbers,
    title,
    issuedOn,
    effectiveOn: slashDate(tableValue(lines, 'Ngày có hiệu lực')),
    issuer: readIssuer(lines, placeLine),
    signer: tableValue(lines, 'Người ký') ?? readSigner(lines),
    fields: fieldsText ? fieldsText.split(/\s*[,;]\s*/).filter(Boolean) : [],
    implements: cited.text,
    preambleEnd: firstHeading === -1 ? end : firstHeading,
  };
};
