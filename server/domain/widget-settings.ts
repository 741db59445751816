import {
  DEFAULT_WIDGET_SETTINGS,
  widgetSettingsPatchSchema,
  widgetSettingsSchema,
  type WidgetSettings,
  type WidgetSettingsPatch,
} from '../../common/widget-settings';

// How the server reads a widget's stored settings and applies a change; the schema and defaults
// themselves live in common/widget-settings.ts (the desk's form validates with them too).

export {
  ALLOWED_DOMAINS_MAX,
  DEFAULT_OPENING_HOURS,
  DEFAULT_WIDGET_SETTINGS,
  isTimeZone,
  minutesOf,
  OPENING_RANGES_PER_DAY_MAX,
  WIDGET_LONG_TEXT_MAX,
  WIDGET_TEXT_MAX,
  widgetSettingsPatchSchema,
  widgetSettingsSchema,
  type WidgetSettingKey,
  type WidgetSettings,
  type WidgetSettingsPatch,
} from '../../common/widget-settings';

function storedObject(stored: unknown): Record<string, unknown> {
  if (typeof stored === 'string') {
    try {
      return storedObject(JSON.parse(stored));
    } catch {
      return {};
    }
  }
  return typeof stored === 'object' && stored !== null && !Array.isArray(stored) ? { ...stored } : {};
}

/**
 * Settings from what a row holds (its JSON text, or the object the store parsed it to). Each key is
 * read on its own: a value an older server wrote or a hostile hand put there falls back to that
 * key's default, and the others are kept; never an error, since visitors and operators depend on it.
 */
export function readWidgetSettings(stored: unknown): WidgetSettings {
  const raw = storedObject(stored);
  const patch = widgetSettingsPatchSchema.safeParse(raw);
  if (patch.success) return { ...DEFAULT_WIDGET_SETTINGS, ...patch.data };
  // Some key is bad: keep each key that is valid on its own.
  const valid: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const one = widgetSettingsPatchSchema.safeParse({ [key]: value });
    if (one.success) Object.assign(valid, one.data);
  }
  return { ...DEFAULT_WIDGET_SETTINGS, ...widgetSettingsPatchSchema.parse(valid) };
}

/** The settings after a change: each changed key replaces the stored one, whole. */
export function applyWidgetSettings(current: WidgetSettings, patch: WidgetSettingsPatch): WidgetSettings {
  const next: WidgetSettings = { ...current };
  for (const [key, value] of Object.entries(patch)) if (value !== undefined) Object.assign(next, { [key]: value });
  return widgetSettingsSchema.parse(next);
}
