import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { en, zhCN, type MessageKey } from './messages';

export type Locale = 'zh-CN' | 'en';

const STORAGE_KEY = 'argus.locale';
const dictionaries: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

interface I18n {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: Translate;
  /** Label of a value the API sends as a code (status, severity…), or the value itself. */
  label: (prefix: string, value: string) => string;
  formatDate: (value: unknown) => string;
}

const I18nContext = createContext<I18n | undefined>(undefined);

function storedLocale(): Locale {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(storedLocale);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const setLocale = useCallback((next: Locale) => {
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Private mode: the choice lasts for this tab only.
    }
    setLocaleState(next);
  }, []);
  const value = useMemo<I18n>(() => {
    const dict = dictionaries[locale];
    const t: Translate = (key, vars) =>
      dict[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
        vars && name in vars ? String(vars[name]) : whole,
      );
    const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short' });
    return {
      locale,
      setLocale,
      t,
      label: (prefix, value) => {
        const key = `${prefix}.${value}`;
        return key in dict ? dict[key as MessageKey] : value;
      },
      formatDate: (value) => {
        if (typeof value !== 'string' && typeof value !== 'number') return '';
        const date = new Date(value);
        return Number.isNaN(date.getTime()) ? String(value) : dateFormat.format(date);
      },
    };
  }, [locale, setLocale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
