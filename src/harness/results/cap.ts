/**
 * The longest text results.json keeps (an answer, a tool result, a message); a recorded or authored run's
 * cassette keeps all of it.
 */
export const RESULTS_TEXT_MAX_CHARS = 1_048_576;

/**
 * The longest text report.html, summary.md, junit.xml, the terminal's failure lines and the GitHub annotations
 * show, so a report still opens in a browser and one reason cannot flood a log.
 */
export const REPORT_TEXT_MAX_CHARS = 65_536;

const count = (n: number) => n.toLocaleString('en-US');

/** The note of an earlier cut, whose "in all" is the original length. */
const NOTE = /… \[[\d,]+ more characters cut from this report; ([\d,]+) in all\]$/;

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/** A text cut to `max` characters, with a note of how much was cut (of the original, if cut before). */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  const earlier = NOTE.exec(text)?.[1];
  const total = earlier ? Number(earlier.replaceAll(',', '')) : text.length;
  // A cut between the two halves of a surrogate pair (an emoji) would leave a broken character.
  const end = isHighSurrogate(text.charCodeAt(max - 1)) ? max - 1 : max;
  return `${text.slice(0, end)}… [${count(total - end)} more characters cut from this report; ${count(total)} in all]`;
}

/**
 * The value with every string longer than `max` cut (with its note). Objects and arrays are
 * copied only where something was cut, so a run without long texts costs no copy at all.
 */
export function capTexts<T>(value: T, max: number): T {
  if (typeof value === 'string') return capText(value, max) as T;
  if (Array.isArray(value)) {
    let changed = false;
    const items = value.map((item) => {
      const capped = capTexts(item, max);
      if (capped !== item) changed = true;
      return capped;
    });
    return (changed ? items : value) as T;
  }
  if (value && typeof value === 'object') {
    let changed = false;
    const entries = Object.entries(value).map(([key, item]) => {
      const capped = capTexts(item, max);
      if (capped !== item) changed = true;
      return [key, capped] as const;
    });
    return (changed ? Object.fromEntries(entries) : value) as T;
  }
  return value;
}
