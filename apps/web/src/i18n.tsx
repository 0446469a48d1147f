import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';

/** Vietnamese first; English on request. Each screen keeps its own words beside it (`useWords`). */
export type Lang = 'vi' | 'en';
export type Words<K extends string> = Record<Lang, Record<K, string>>;

const LangContext = createContext<{ lang: Lang; setLang: (lang: Lang) => void }>({ lang: 'vi', setLang: () => undefined });

export const LangProvider = ({ children }: { children: ReactNode }) => {
  const [lang, setLangState] = useState<Lang>(() => (localStorage.getItem('mandate.lang') === 'en' ? 'en' : 'vi'));
  const setLang = (next: Lang) => {
    localStorage.setItem('mandate.lang', next);
    document.documentElement.lang = next;
    setLangState(next);
  };
  return <LangContext.Provider value={{ lang, setLang }}>{children}</LangContext.Provider>;
};

export const useLang = () => useContext(LangContext);

/** The words of one screen in the chosen language. */
export const useWords = <K extends string>(words: Words<K>): Record<K, string> => words[useLang().lang];

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
    loading: 'Đang tải…',
    error: 'Có lỗi',
    none: 'Không có',
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
    loading: 'Loading…',
    error: 'Error',
    none: 'None',
  },
} satisfies Words<string>;

export const useCommon = () => useWords(COMMON);

/** A label of the common words, or the code itself when there is none. */
export const label = (common: Record<string, string>, code: string | null | undefined): string => (code ? (common[code] ?? code) : '');

const locale = (lang: Lang) => (lang === 'vi' ? 'vi-VN' : 'en-GB');

/** dd/mm/yyyy in both languages (Vietnamese practice; en-GB reads the same way). */
export const useFormat = () => {
  const { lang } = useLang();
  return useMemo(() => {
    const date = new Intl.DateTimeFormat(locale(lang), { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'Asia/Ho_Chi_Minh' });
    const dateTime = new Intl.DateTimeFormat(locale(lang), { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Ho_Chi_Minh' });
    const number = new Intl.NumberFormat(locale(lang));
    const percent = new Intl.NumberFormat(locale(lang), { style: 'percent', maximumFractionDigits: 1 });
    const asDate = (value: string | Date) => (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00+07:00`) : new Date(value));
    return {
      date: (value: string | Date | null | undefined) => (value ? date.format(asDate(value)) : ''),
      dateTime: (value: string | Date | null | undefined) => (value ? dateTime.format(asDate(value)) : ''),
      number: (value: number) => number.format(value),
      percent: (value: number) => percent.format(value),
    };
  }, [lang]);
};
