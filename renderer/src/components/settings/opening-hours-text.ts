import type { OpeningRange } from '../../../../common/widget-api';

// A day's opening hours as one line the administrator types: `09:00-13:00, 14:00-18:00`.
// Nothing is judged here: a piece that is not `from-to` is kept as it was typed, so the
// settings schema refuses it with the same rule the server applies.

export function rangesToText(ranges: readonly OpeningRange[]): string {
  return ranges.map((range) => `${range.from}-${range.to}`).join(', ');
}

export function textToRanges(text: string): OpeningRange[] {
  return text
    .split(',')
    .map((piece) => piece.trim())
    .filter((piece) => piece !== '')
    .map((piece) => {
      const [from = piece, to = ''] = piece.split(/\s*[-–]\s*/);
      return { from, to };
    });
}
