// The desk reads every message's timestamps from what the server formats. The fast parse of the
// Laravel format must agree with Date.parse on everything, including what it hands back to it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatTimestamp, parseTimestamp } from '../../common/time';

/** What the parser did before its fast path: the reference. */
function reference(value: string): number {
  return Date.parse(value.replace(/\.(\d{3})\d*Z$/, '.$1Z'));
}

describe('timestamps', () => {
  it('round-trips what the server formats, across years, leap days and the millisecond', () => {
    const moments = [0, 1, 999, 951_782_400_000, 1_709_251_199_999, 1_771_322_400_123, 4_102_444_799_999];
    for (let ms = Date.UTC(1999, 11, 31, 23, 59, 59, 999); ms < Date.UTC(2031, 0, 1); ms += 86_399_937) moments.push(ms);
    for (const ms of moments) assert.equal(parseTimestamp(formatTimestamp(ms)), ms, formatTimestamp(ms));
  });

  it('computes the day as Date does for every year from 1000 to 9999, century leap rules included', () => {
    // The fast path counts days itself (no Date per timestamp): each year's 1 March, 28 February and 31 December.
    for (let year = 1000; year <= 9999; year++) {
      for (const [month, day] of [[1, 1], [2, 28], [3, 1], [12, 31]] as const) {
        const ms = Date.UTC(year, month - 1, day, 13, 7, 9, 421);
        assert.equal(parseTimestamp(formatTimestamp(ms)), ms, formatTimestamp(ms));
      }
    }
    for (const input of ['1900-02-29T00:00:00.000000Z', '2000-02-29T00:00:00.000000Z', '2100-02-29T00:00:00.000000Z', '2400-02-29T00:00:00.000000Z', '2024-02-30T00:00:00.000000Z']) {
      assert.ok(Object.is(parseTimestamp(input), reference(input)), `${input}: ${parseTimestamp(input)} vs ${reference(input)}`);
    }
  });

  it('agrees with Date.parse on other precisions, offsets, impossible dates and garbage', () => {
    const inputs = [
      '2026-02-17T10:00:00.123Z',
      '2026-02-17T10:00:00.123456Z',
      '2026-02-17T10:00:00Z',
      '2026-02-17T10:00:00.1Z',
      '2026-02-17T10:00:00+02:00',
      '2026-02-17T10:00:00.000000+02:00',
      '2023-02-29T10:00:00.000000Z',
      '2026-04-31T10:00:00.000000Z',
      '2026-13-01T10:00:00.000000Z',
      '2026-00-10T10:00:00.000000Z',
      '2026-02-17T24:00:00.000000Z',
      '2026-02-17T10:60:00.000000Z',
      '2026-02-17T10:00:00.12x456Z',
      '2026-02-17 10:00:00.000000Z',
      '0001-01-01T00:00:00.000000Z',
      '0099-12-31T23:59:59.999999Z',
      '+02026-02-17T10:00:00.000Z',
      '',
      'garbage',
    ];
    for (const input of inputs) assert.ok(Object.is(parseTimestamp(input), reference(input)), `${input}: ${parseTimestamp(input)} vs ${reference(input)}`);
  });
});
