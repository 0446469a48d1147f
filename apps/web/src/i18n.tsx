import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { isDay, noonOf } from './dates';

/** Vietnamese first; English on request. Each screen keeps its own words beside it (`useWords`). */
export type Lang = 'vi' | 'en';
export type Words<K extends string> = Record<Lang, Record<K, string>>;

const LangContext = createContext<{ lang: Lang; setLang: (lang: Lang) => void }>({ lang: 'vi', setLang: () => undefined });

export const LangProvider = ({ children }: { children: ReactNode }) => {
  const [lang, setLangState] = useState<Lang>(() => (localStorage.getItem('mandate.lang') === 'en' ? 'en' : 'vi'));
  // The page's language follows the choice, the remembered one included (screen readers, hyphenation).
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const setLang = (next: Lang) => {
    localStorage.setItem('mandate.lang', next);
    setLangState(next);
  };
  return <LangContext.Provider value={{ lang, setLang }}>{children}</LangContext.Provider>;
};

export const useLang = () => useContext(LangContext);

/** The words of one screen in the chosen language. */
export const useWords = <K extends string>(words: Words<K>): Record<K, string> => words[useLang().lang];

/** A screen's sentence with its `{name}` holes filled. */
export const fill = (text: string, values: Record<string, string | number>): string =>
  text.replace(/\{(\w+)\}/g, (_, key: string) => String(values[key] ?? ''));

/** The task statuses and the timeliness codes, in the order screens list them (filters, charts). */
export const STATUS_CODES = ['not_started', 'in_progress', 'submitted', 'returned', 'completed', 'paused', 'cancelled', 'declined'] as const;
export const TIMELINESS_CODES = ['overdue', 'due_soon', 'on_time', 'completed_on_time', 'completed_late', 'no_deadline'] as const;

/** The words every screen shares: statuses, timeliness, roles. */
export const COMMON = {
  vi: {
    not_started: 'Chưa thực hiện',
    in_progress: 'Đang thực hiện',
    submitted: 'Chờ xác nhận',
    completed: 'Hoàn thành',
    returned: 'Thực hiện lại',
    paused: 'Tạm hoãn',
    cancelled: 'Dừng thực hiện',
    declined: 'Từ chối',
    on_time: 'Trong hạn',
    due_soon: 'Sắp đến hạn',
    overdue: 'Quá hạn',
    completed_on_time: 'Hoàn thành đúng hạn',
    completed_late: 'Hoàn thành quá hạn',
    no_deadline: 'Không thời hạn',
    office: 'Văn phòng UBND',
    planning: 'Sở Kế hoạch và Đầu tư',
    agency: 'Cơ quan, đơn vị',
    leader: 'Lãnh đạo',
    auditor: 'Thanh tra',
    integrator: 'Hệ thống tích hợp',
    operator: 'Vận hành nền tảng',
    unit: 'Văn phòng UBND xã, phường, đặc khu',
    loading: 'Đang tải…',
    error: 'Có lỗi',
    none: 'Không có',
    // A plan tracked before signing: its number (and date) not given yet.
    noNumber: 'Chưa có số',
  },
  en: {
    not_started: 'Not started',
    in_progress: 'In progress',
    submitted: 'Awaiting confirmation',
    completed: 'Completed',
    returned: 'Returned',
    paused: 'Paused',
    cancelled: 'Cancelled',
    declined: 'Declined',
    on_time: 'On time',
    due_soon: 'Due soon',
    overdue: 'Overdue',
    completed_on_time: 'Completed on time',
    completed_late: 'Completed late',
    no_deadline: 'No deadline',
    office: "City People's Committee office",
    planning: 'Planning and Investment dept.',
    agency: 'Agency',
    leader: 'Leader',
    auditor: 'Inspector',
    integrator: 'Integrator',
    operator: 'Platform operator',
    unit: 'Commune, ward or special zone office',
    loading: 'Loading…',
    error: 'Error',
    none: 'None',
    noNumber: 'No number',
  },
} satisfies Words<string>;

export const useCommon = () => useWords(COMMON);

/** A label of the common words, or the code itself when there is none. */
export const label = (common: Record<string, string>, code: string | null | undefined): string => (code ? (common[code] ?? code) : '');

/**
 * A task's status as the server words it (Vietnamese, with its timeliness: "Đang thực hiện - quá hạn")
 * in Vietnamese; the common label of its code in English or when the server gave none.
 */
export const useStatusLabel = () => {
  const { lang } = useLang();
  const common = useCommon();
  return useMemo(
    () => (status: { code?: string | null; label?: string | null } | null | undefined) =>
      lang === 'vi' && status?.label ? status.label : label(common, status?.code),
    [lang, common],
  );
};

const locale = (lang: Lang) => (lang === 'vi' ? 'vi-VN' : 'en-GB');

/** dd/mm/yyyy hh:mm (24 h) in Vietnam's time, whatever the language (vi-VN alone would put the time first). */
const DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: 'Asia/Ho_Chi_Minh',
});
const dateTimeText = (instant: Date) => {
  const part = Object.fromEntries(DATE_TIME.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${part.day}/${part.month}/${part.year} ${part.hour}:${part.minute}`;
};

/** A calendar day (YYYY-MM-DD) stands for its noon in Vietnam; anything else is read as an instant. */
const asDate = (value: string | Date) => (isDay(value) ? noonOf(value) : new Date(value));
/** The value as a valid Date, or null (missing or unreadable: shown as nothing, never a crash). */
const validDate = (value: string | Date | null | undefined) => {
  if (!value) return null;
  const date = asDate(value);
  return Number.isNaN(date.getTime()) ? null : date;
};

/** dd/mm/yyyy (and dd/mm/yyyy hh:mm) in both languages (Vietnamese practice; en-GB reads the same way). */
export const useFormat = () => {
  const { lang } = useLang();
  return useMemo(() => {
    const date = new Intl.DateTimeFormat(locale(lang), { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'Asia/Ho_Chi_Minh' });
    const number = new Intl.NumberFormat(locale(lang));
    const percent = new Intl.NumberFormat(locale(lang), { style: 'percent', maximumFractionDigits: 1 });
    return {
      date: (value: string | Date | null | undefined) => {
        const d = validDate(value);
        return d ? date.format(d) : '';
      },
      dateTime: (value: string | Date | null | undefined) => {
        const d = validDate(value);
        return d ? dateTimeText(d) : '';
      },
      number: (value: number) => number.format(value),
      percent: (value: number) => percent.format(value),
    };
  }, [lang]);
};
