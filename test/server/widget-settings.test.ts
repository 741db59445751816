import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openingState } from '../../server/domain/opening-hours';
import {
  applyWidgetSettings,
  DEFAULT_OPENING_HOURS,
  DEFAULT_WIDGET_SETTINGS,
  readWidgetSettings,
  widgetSettingsPatchSchema,
  type WidgetSettings,
} from '../../server/domain/widget-settings';

const at = (iso: string) => Date.parse(iso);
const none = { monday: [], tuesday: [], wednesday: [], thursday: [], friday: [], saturday: [], sunday: [] };

function hours(zone: string, opening: Partial<WidgetSettings['opening_hours']> = DEFAULT_OPENING_HOURS): Pick<WidgetSettings, 'use_opening_hours' | 'opening_hours' | 'time_zone'> {
  return { use_opening_hours: true, time_zone: zone, opening_hours: { ...none, ...opening } };
}

describe('widget settings', () => {
  it('a widget nobody configured reads as the defaults', () => {
    assert.deepEqual(readWidgetSettings('{}'), DEFAULT_WIDGET_SETTINGS);
    assert.deepEqual(readWidgetSettings({}), DEFAULT_WIDGET_SETTINGS);
    assert.equal(DEFAULT_WIDGET_SETTINGS.active, true);
    assert.equal(DEFAULT_WIDGET_SETTINGS.use_opening_hours, false);
    assert.deepEqual(DEFAULT_WIDGET_SETTINGS.opening_hours.monday, [{ from: '09:00', to: '17:00' }]);
  });

  it('hostile or old rows fall back key by key, keeping the valid keys', () => {
    for (const text of ['not json', '[1,2]', '"x"', 'null', '{"title": ', '42']) assert.deepEqual(readWidgetSettings(text), DEFAULT_WIDGET_SETTINGS, text);
    const mixed = readWidgetSettings(
      JSON.stringify({
        title: 'Pomoc',
        theme: 'neon',
        color: 'javascript:alert(1)',
        time_zone: 'Mars/Olympus',
        opening_hours: { monday: [{ from: '9', to: '17' }] },
        allowed_domains: ['Shop.Example.com'],
        client_data_fields: ['email', 'email'],
        responsible_id: -3,
        legacy_key: { deep: true },
        active: 'yes',
      }),
    );
    assert.equal(mixed.title, 'Pomoc');
    assert.deepEqual(mixed.allowed_domains, ['shop.example.com']);
    assert.equal(mixed.theme, 'auto');
    assert.equal(mixed.color, DEFAULT_WIDGET_SETTINGS.color);
    assert.equal(mixed.time_zone, 'UTC');
    assert.deepEqual(mixed.opening_hours, DEFAULT_OPENING_HOURS);
    assert.deepEqual(mixed.client_data_fields, DEFAULT_WIDGET_SETTINGS.client_data_fields);
    assert.equal(mixed.responsible_id, null);
    assert.equal(mixed.active, true);
    assert.equal('legacy_key' in mixed, false);
  });

  it('a patch validates each setting and replaces only the keys it names', () => {
    const refused = widgetSettingsPatchSchema.safeParse({
      theme: 'neon',
      locale: 'de',
      color: 'red',
      time_zone: 'Nowhere/City',
      opening_hours: { monday: [{ from: '10:00', to: '10:00' }], funday: [] },
      allowed_domains: ['http://example.com/path'],
      client_data_fields: ['name', 'age'],
      surprise: 1,
    });
    assert.equal(refused.success, false);
    const paths = new Set(refused.error?.issues.map((issue) => String(issue.path[0] ?? issue.code)));
    for (const key of ['theme', 'locale', 'color', 'time_zone', 'opening_hours', 'allowed_domains', 'client_data_fields']) assert.ok(paths.has(key), key);

    const patch = widgetSettingsPatchSchema.parse({ title: 'Pomoc', opening_hours: { saturday: [{ from: '10:00', to: '14:00' }] }, time_zone: 'Europe/Warsaw' });
    const next = applyWidgetSettings(DEFAULT_WIDGET_SETTINGS, patch);
    assert.equal(next.title, 'Pomoc');
    assert.equal(next.time_zone, 'Europe/Warsaw');
    assert.deepEqual(next.opening_hours.saturday, [{ from: '10:00', to: '14:00' }]);
    assert.deepEqual(next.opening_hours.monday, [], 'opening_hours is replaced whole: days it leaves out are closed');
    assert.equal(next.theme, DEFAULT_WIDGET_SETTINGS.theme);
  });
});

describe('opening hours', () => {
  it('is always open when opening hours are off', () => {
    assert.deepEqual(openingState({ ...hours('UTC', {}), use_opening_hours: false }, at('2026-01-04T03:00:00Z')), { open: true, nextOpenAt: null });
  });

  it('is open inside a range and closed at its end, in the widget time zone', () => {
    const warsaw = hours('Europe/Warsaw');
    // Monday 5 January 2026: Warsaw is UTC+1.
    assert.deepEqual(openingState(warsaw, at('2026-01-05T08:00:00Z')), { open: true, nextOpenAt: null }, '09:00 local');
    assert.equal(openingState(warsaw, at('2026-01-05T07:59:00Z')).open, false, '08:59 local');
    assert.equal(openingState(warsaw, at('2026-01-05T07:59:00Z')).nextOpenAt, at('2026-01-05T08:00:00Z'));
    assert.equal(openingState(warsaw, at('2026-01-05T15:59:00Z')).open, true, '16:59 local');
    const evening = openingState(warsaw, at('2026-01-05T16:00:00Z'));
    assert.deepEqual(evening, { open: false, nextOpenAt: at('2026-01-06T08:00:00Z') }, '17:00 local: closed until Tuesday 09:00');
  });

  it('after Friday closing, the next opening is Monday morning', () => {
    // Friday 9 January 2026, 18:00 in New York (UTC-5).
    assert.deepEqual(openingState(hours('America/New_York'), at('2026-01-09T23:00:00Z')), { open: false, nextOpenAt: at('2026-01-12T14:00:00Z') });
  });

  it('follows daylight saving: the same 09:00 is another UTC hour in summer', () => {
    const warsaw = hours('Europe/Warsaw');
    // Monday 6 July 2026: Warsaw is UTC+2.
    assert.equal(openingState(warsaw, at('2026-07-06T07:00:00Z')).open, true);
    assert.equal(openingState(warsaw, at('2026-07-06T06:59:00Z')).open, false);
    // Sunday 29 March 2026 the clocks go forward at 02:00; the Monday opening is 07:00 UTC.
    assert.equal(openingState(warsaw, at('2026-03-28T12:00:00Z')).nextOpenAt, at('2026-03-30T07:00:00Z'));
    // Sunday 25 October 2026 back again; Monday 26 opens 08:00 UTC.
    assert.equal(openingState(warsaw, at('2026-10-24T12:00:00Z')).nextOpenAt, at('2026-10-26T08:00:00Z'));
  });

  it('an opening skipped by the spring-forward jump opens when the clock jumps past it', () => {
    // 02:30 does not exist in Warsaw on 29 March 2026: 01:00 UTC is already 03:00 local.
    const night = hours('Europe/Warsaw', { sunday: [{ from: '02:30', to: '05:00' }] });
    assert.deepEqual(openingState(night, at('2026-03-29T00:30:00Z')), { open: false, nextOpenAt: at('2026-03-29T01:00:00Z') });
    assert.equal(openingState(night, at('2026-03-29T01:00:00Z')).open, true);
  });

  it('supports ranges past midnight and until 24:00', () => {
    const night = hours('UTC', { friday: [{ from: '22:00', to: '02:00' }], saturday: [{ from: '10:00', to: '24:00' }] });
    assert.equal(openingState(night, at('2026-01-09T23:30:00Z')).open, true, 'Friday 23:30');
    assert.equal(openingState(night, at('2026-01-10T01:59:00Z')).open, true, 'Saturday 01:59, still Friday night');
    assert.deepEqual(openingState(night, at('2026-01-10T02:00:00Z')), { open: false, nextOpenAt: at('2026-01-10T10:00:00Z') });
    assert.equal(openingState(night, at('2026-01-10T23:59:00Z')).open, true, 'Saturday until midnight');
    assert.deepEqual(openingState(night, at('2026-01-11T00:00:00Z')), { open: false, nextOpenAt: at('2026-01-16T22:00:00Z') });
  });

  it('a widget with opening hours but no ranges never opens', () => {
    assert.deepEqual(openingState(hours('Asia/Tokyo', {}), at('2026-01-05T03:00:00Z')), { open: false, nextOpenAt: null });
  });

  it('uses the calendar day of the time zone, not of UTC', () => {
    // 23:30 UTC Sunday is 08:30 Monday in Tokyo (UTC+9): closed until 09:00 Tokyo = 00:00 UTC.
    const tokyo = hours('Asia/Tokyo');
    assert.deepEqual(openingState(tokyo, at('2026-01-04T23:30:00Z')), { open: false, nextOpenAt: at('2026-01-05T00:00:00Z') });
    assert.equal(openingState(tokyo, at('2026-01-05T00:00:00Z')).open, true);
  });
});
