import { WEEKDAYS, type OpeningRange, type Weekday } from '../../common/widget-api';
import { minutesOf, type WidgetSettings } from './widget-settings';

// Whether a widget is inside its opening hours, and when it opens next. Hours are local wall time
// in the widget's IANA time zone, so the answer follows that zone's daylight-saving changes: a
// 09:00 opening is 08:00 UTC in Warsaw's winter and 07:00 UTC in its summer.

export interface OpeningState {
  open: boolean;
  /** Epoch ms of the next opening while closed; null while open, or when the widget never opens. */
  nextOpenAt: number | null;
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** How far ahead the next opening is looked for: a week and a day covers every weekly schedule. */
const LOOKAHEAD_DAYS = 8;

interface WallTime {
  /** The local calendar date as a UTC midnight (for calendar arithmetic only). */
  date: number;
  weekday: Weekday;
  minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Monday-first weekday of a UTC-midnight date. */
function weekdayOf(date: number): Weekday {
  const sundayFirst = new Date(date).getUTCDay();
  return WEEKDAYS[(sundayFirst + 6) % 7] ?? 'monday';
}

function wallTime(instant: number, timeZone: string): WallTime {
  const parts = new Map(formatterFor(timeZone).formatToParts(new Date(instant)).map((part) => [part.type, Number(part.value)]));
  const date = Date.UTC(parts.get('year') ?? 1970, (parts.get('month') ?? 1) - 1, parts.get('day') ?? 1);
  return { date, weekday: weekdayOf(date), minutes: (parts.get('hour') ?? 0) * 60 + (parts.get('minute') ?? 0) };
}

/** The zone's offset from UTC at `instant`, in ms (positive east of Greenwich). */
function offsetAt(instant: number, timeZone: string): number {
  const wall = wallTime(instant, timeZone);
  return wall.date + wall.minutes * MINUTE_MS - Math.floor(instant / MINUTE_MS) * MINUTE_MS;
}

/** Whether the wall clock at `instant` has reached `minutes` on local date `date`. */
function reached(instant: number, timeZone: string, date: number, minutes: number): boolean {
  const wall = wallTime(instant, timeZone);
  return wall.date > date || (wall.date === date && wall.minutes >= minutes);
}

/**
 * The first instant at which the local clock shows `minutes` on `date` or later. Usually that
 * wall time exactly; when a daylight-saving change skips it (02:30 on a spring-forward night),
 * the moment the clock jumps past it.
 */
function instantOf(date: number, minutes: number, timeZone: string): number {
  const local = date + minutes * MINUTE_MS;
  const first = local - offsetAt(local, timeZone);
  const second = local - offsetAt(first, timeZone);
  const candidates = [first, second].sort((a, b) => a - b);
  const [early = first, late = second] = candidates;
  for (const candidate of candidates) {
    const wall = wallTime(candidate, timeZone);
    if (wall.date === date && wall.minutes === minutes) return candidate;
  }
  // In a gap: the answer lies between the two readings; find the jump to the minute.
  let low = early;
  let high = late;
  while (high - low > MINUTE_MS) {
    const middle = low + Math.floor((high - low) / 2 / MINUTE_MS) * MINUTE_MS;
    if (reached(middle, timeZone, date, minutes)) high = middle;
    else low = middle;
  }
  return reached(low, timeZone, date, minutes) ? low : high;
}

/** Whether a range that starts on its own day runs past midnight into the next. */
function overnight(range: OpeningRange): boolean {
  return minutesOf(range.to) < minutesOf(range.from);
}

function inside(wall: WallTime, hours: WidgetSettings['opening_hours']): boolean {
  for (const range of hours[wall.weekday]) {
    const from = minutesOf(range.from);
    const to = minutesOf(range.to);
    if (overnight(range) ? wall.minutes >= from : wall.minutes >= from && wall.minutes < to) return true;
  }
  // Yesterday's overnight ranges, in their after-midnight part.
  for (const range of hours[weekdayOf(wall.date - DAY_MS)]) {
    if (overnight(range) && wall.minutes < minutesOf(range.to)) return true;
  }
  return false;
}

/** Whether the widget is open at `nowMs`, and when it opens next if not. Always open without opening hours. */
export function openingState(settings: Pick<WidgetSettings, 'use_opening_hours' | 'opening_hours' | 'time_zone'>, nowMs: number): OpeningState {
  if (!settings.use_opening_hours) return { open: true, nextOpenAt: null };
  const zone = settings.time_zone;
  const now = wallTime(nowMs, zone);
  if (inside(now, settings.opening_hours)) return { open: true, nextOpenAt: null };
  let next: number | null = null;
  for (let day = 0; day <= LOOKAHEAD_DAYS && next === null; day++) {
    const date = now.date + day * DAY_MS;
    const starts = settings.opening_hours[weekdayOf(date)].map((range) => minutesOf(range.from)).sort((a, b) => a - b);
    for (const start of starts) {
      const at = instantOf(date, start, zone);
      if (at > nowMs) {
        next = at;
        break;
      }
    }
  }
  return { open: false, nextOpenAt: next };
}
