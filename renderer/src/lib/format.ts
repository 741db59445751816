import type { Language } from '../../../common/bridge';

const DAY_MS = 86_400_000;

function startOfDay(ms: number): number {
  const date = new Date(ms);
  date.setHours(0, 0, 0, 0);
  return date.getTime();
}

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

function dateFormat(language: Language, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${language}|${JSON.stringify(options)}`;
  let format = cache.get(key);
  if (!(format instanceof Intl.DateTimeFormat)) {
    format = new Intl.DateTimeFormat(language, options);
    cache.set(key, format);
  }
  return format;
}

function numberFormat(language: Language, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n|${language}|${JSON.stringify(options)}`;
  let format = cache.get(key);
  if (!(format instanceof Intl.NumberFormat)) {
    format = new Intl.NumberFormat(language, options);
    cache.set(key, format);
  }
  return format;
}

export function formatClock(ms: number, language: Language): string {
  return dateFormat(language, { hour: 'numeric', minute: '2-digit' }).format(ms);
}

export function formatDateTime(ms: number, language: Language): string {
  return dateFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(ms);
}

/** The list's time column: the time today, the weekday this week, else the date. */
export function formatListTime(ms: number, now: number, language: Language): string {
  const today = startOfDay(now);
  if (ms >= today) return formatClock(ms, language);
  if (ms >= today - 6 * DAY_MS) return dateFormat(language, { weekday: 'short' }).format(ms);
  const sameYear = new Date(ms).getFullYear() === new Date(now).getFullYear();
  return dateFormat(language, sameYear ? { day: 'numeric', month: 'short' } : { day: 'numeric', month: 'short', year: 'numeric' }).format(ms);
}

export type DayLabel = { kind: 'today' } | { kind: 'yesterday' } | { kind: 'date'; text: string };

export function dayLabel(ms: number, now: number, language: Language): DayLabel {
  const day = startOfDay(ms);
  const today = startOfDay(now);
  if (day === today) return { kind: 'today' };
  if (day === today - DAY_MS) return { kind: 'yesterday' };
  const sameYear = new Date(ms).getFullYear() === new Date(now).getFullYear();
  return { kind: 'date', text: dateFormat(language, sameYear ? { weekday: 'long', day: 'numeric', month: 'long' } : { day: 'numeric', month: 'long', year: 'numeric' }).format(ms) };
}

export function sameDay(a: number, b: number): boolean {
  return startOfDay(a) === startOfDay(b);
}

/** "12 min", "3 h", "2 d", in the language's own units. */
export function formatWaiting(ms: number, language: Language): string {
  const minutes = Math.max(1, Math.floor(ms / 60_000));
  if (minutes < 60) return numberFormat(language, { style: 'unit', unit: 'minute', unitDisplay: 'short' }).format(minutes);
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return numberFormat(language, { style: 'unit', unit: 'hour', unitDisplay: 'short' }).format(hours);
  return numberFormat(language, { style: 'unit', unit: 'day', unitDisplay: 'short' }).format(Math.floor(hours / 24));
}

export type WaitLevel = 'calm' | 'warn' | 'late';

/** How long a customer waited, as a level: five minutes is noticeable, fifteen is late. */
export function waitLevel(ms: number): WaitLevel {
  if (ms >= 15 * 60_000) return 'late';
  if (ms >= 5 * 60_000) return 'warn';
  return 'calm';
}

export function formatSize(bytes: number, language: Language): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  // "193 B" rather than "193 byte": bytes read better in the narrow form.
  return numberFormat(language, { style: 'unit', unit: units[unit], unitDisplay: unit === 0 ? 'narrow' : 'short', maximumFractionDigits: value < 10 && unit > 0 ? 1 : 0 }).format(value);
}

export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0]?.[0], words[words.length - 1]?.[0]] : [words[0]?.[0], words[0]?.[1]];
  return letters.filter(Boolean).join('').toUpperCase() || '?';
}

/** A stable hue for a name, so a customer keeps the same avatar colour everywhere. */
export function hueOf(text: string): number {
  let hash = 0;
  for (const char of text) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return hash % 360;
}
