import type { Agency, AgencyRef } from '@mandate/plans-domain';
import { collapse, foldWords, trimPunctuation } from './text';

/**
 * Matching key of an agency name: folded words, "Ủy ban nhân dân" as "ubnd", without "và",
 * without the leading "Sở" and a trailing "thành phố"/city name, so "Sở KH&ĐT", "Kế hoạch và Đầu tư"
 * and "Sở Kế hoạch và đầu tư thành phố Hải Phòng" meet on the same key.
 */
const keys = new Map<string, string>();

export const agencyKey = (text: string): string => {
  const known = keys.get(text);
  if (known !== undefined) return known;
  if (keys.size >= 20_000) keys.clear();
  const key = computeKey(text);
  keys.set(text, key);
  return key;
};

const computeKey = (text: string): string => {
  let key = ` ${foldWords(text)} `
    .replace(/ uy ban nhan dan /g, ' ubnd ')
    .replace(/ va /g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  key = key.replace(/^(cac )?so /, '');
  key = key.replace(/ (thanh pho|tp)( ha noi| hai phong)?$/, '').replace(/ (ha noi|hai phong)$/, '');
  return key.trim();
};

// Words a catch-all is made of: "các sở, ban, ngành liên quan", "UBND các quận, huyện, thị xã".
const GENERIC_WORDS = new Set(
  (
    'cac so ban nganh quan huyen thi xa phuong tran don vi dia lien co ubnd cua thanh pho tp va to chuc ' +
    'chinh tri hoi doanh nghiep doan the phong cap tinh trung uong bo thong tan bao chi khac thuoc ' +
    'tren ban nganh quan ly nha nuoc chuc nang truc huu hanh tong cong ty ha noi hai phong nhan dan uy dac khu'
  ).split(' '),
);

const isGeneric = (text: string): boolean => {
  const words = foldWords(text).split(' ').filter(Boolean);
  return words.length > 0 && words.every((word) => GENERIC_WORDS.has(word));
};

const startsGroup = (text: string): boolean => {
  const words = foldWords(text);
  return isGeneric(text) && (/^cac\b/.test(words) || /^(ubnd|uy ban nhan dan)\b/.test(words));
};

/** Strips what surrounds a name in a list: "Đề nghị … phối hợp", "Thủ trưởng …", final punctuation. */
const cleanName = (text: string): string =>
  trimPunctuation(
    collapse(text)
      .replace(/^(đề nghị|giao)\s*:?\s+/iu, '')
      .replace(/\s+(phối hợp|phối hợp thực hiện|chủ trì|thực hiện)$/iu, '')
      .replace(/^(thủ trưởng|giám đốc|chủ tịch)\s+(?=các|ủy ban|uỷ ban|ubnd|sở)/iu, ''),
  );

type Index = ReadonlyMap<string, Agency>;
const indexCache = new WeakMap<readonly Agency[], Index>();

const indexOf = (directory: readonly Agency[]): Index => {
  const cached = indexCache.get(directory);
  if (cached) return cached;
  const index = new Map<string, Agency>();
  for (const agency of directory) {
    for (const name of [agency.name, ...agency.aliases]) {
      const key = agencyKey(name);
      if (key && !index.has(key)) index.set(key, agency);
    }
  }
  indexCache.set(directory, index);
  return index;
};

const lookup = (text: string, directory: readonly Agency[]): Agency | null => indexOf(directory).get(agencyKey(text)) ?? null;

/** Resolves one agency name against a city's directory. */
export const resolveAgency = (text: string, directory: readonly Agency[]): AgencyRef => {
  const written = cleanName(text);
  const agency = lookup(written, directory);
  if (agency) return { agencyId: agency.id, name: agency.name, text: written, resolution: 'resolved' };
  if (isGeneric(written)) return { agencyId: null, name: written, text: written, resolution: 'group' };
  return { agencyId: null, name: written, text: written, resolution: 'unresolved' };
};

type Piece = { readonly text: string; readonly separator: string };

/** Splits on "," and " và " keeping the separators, so adjacent pieces can be joined back exactly. */
const toPieces = (segment: string): Piece[] => {
  const pieces: Piece[] = [];
  const pattern = /\s*,\s*|\s+và\s+/giu;
  let last = 0;
  let separator = '';
  for (const match of segment.matchAll(pattern)) {
    pieces.push({ text: segment.slice(last, match.index), separator });
    separator = match[0];
    last = (match.index ?? 0) + match[0].length;
  }
  pieces.push({ text: segment.slice(last), separator });
  return pieces.filter((piece) => piece.text.trim() !== '');
};

const join = (pieces: readonly Piece[]): string => pieces.map((piece, i) => (i === 0 ? piece.text : `${piece.separator}${piece.text}`)).join('');

// Lookahead, not \b: \b only knows ASCII letters and "Sở"/"Bộ" end in Vietnamese ones.
const AGENCY_HEAD = /^(sở|bộ|ban|ủy ban|ubnd|uỷ ban|cục|viện|trung tâm|công an|văn phòng|phòng|thanh tra|đài|trường|liên minh|bqlda|các)(?=[\s,.;:]|$)/iu;
const MAX_RUN = 6;

// "Các sở: KHCN, TTTT" / "Các sở KH&ĐT, Du lịch": a shared "Sở" in front of a list of short names.
const DISTRIBUTIVE = /^các\s+sở\s*:?\s+(?=\S)/iu;

const splitSegment = (segment: string, directory: readonly Agency[]): AgencyRef[] => {
  let body = cleanName(segment);
  const distributive = DISTRIBUTIVE.exec(body);
  if (distributive) {
    const rest = body.slice(distributive[0].length);
    const firstWord = rest.split(/[\s,]/)[0];
    if (!isGeneric(firstWord) || /:/.test(distributive[0])) body = rest;
  }
  const pieces = toPieces(body);
  const refs: AgencyRef[] = [];
  let i = 0;
  while (i < pieces.length) {
    let taken = 0;
    for (let j = Math.min(pieces.length, i + MAX_RUN); j > i; j--) {
      const candidate = join(pieces.slice(i, j));
      if (lookup(cleanName(candidate), directory)) {
        refs.push(resolveAgency(candidate, directory));
        taken = j - i;
        break;
      }
    }
    if (taken === 0 && startsGroup(cleanName(pieces[i].text))) {
      let j = i + 1;
      while (j < pieces.length && isGeneric(cleanName(pieces[j].text)) && !startsGroup(cleanName(pieces[j].text))) j++;
      const text = cleanName(join(pieces.slice(i, j)));
      refs.push({ agencyId: null, name: text, text, resolution: 'group' });
      taken = j - i;
    }
    if (taken === 0) {
      // An unknown name may itself contain "và": keep joining while the next piece is not a new agency.
      let j = i + 1;
      while (j < pieces.length && /và/u.test(pieces[j].separator) && !AGENCY_HEAD.test(pieces[j].text.trim()) && !lookup(pieces[j].text, directory)) {
        j++;
      }
      refs.push(resolveAgency(join(pieces.slice(i, j)), directory));
      taken = j - i;
    }
    i += taken;
  }
  return refs;
};

/**
 * Splits a list of agencies as written in a cell or a sentence and resolves each one.
 * Catch-alls come back as `group`, unknown names as `unresolved`; nothing is dropped.
 */
export const splitAgencyList = (text: string, directory: readonly Agency[]): AgencyRef[] =>
  collapse(text)
    .split(/\s*;\s*/)
    .map((segment) => segment.trim())
    .filter((segment) => trimPunctuation(segment) !== '')
    .flatMap((segment) => splitSegment(segment, directory));

/** The longest run of leading words that names a directory agency ("Sở Tư pháp tổ chức…" -> Sở Tư pháp). */
export const leadingAgency = (text: string, directory: readonly Agency[], maxWords = 14): AgencyRef | null => {
  const words = collapse(text).split(' ');
  for (let n = Math.min(words.length, maxWords); n > 0; n--) {
    const candidate = trimPunctuation(words.slice(0, n).join(' '));
    if (!AGENCY_HEAD.test(candidate)) return null;
    if (lookup(cleanName(candidate), directory)) return resolveAgency(candidate, directory);
  }
  return null;
};
