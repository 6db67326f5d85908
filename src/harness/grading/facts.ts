/**
 * Fact-shaped tokens of a text: record IDs, money amounts, dates and stated counts. The
 * groundedness grader finds them in an answer and looks for each in what the model was told.
 */

/** What kind of fact a token is. */
export type FactKind = 'id' | 'amount' | 'date' | 'count';

/** One fact-shaped token: where it was seen (`text`) and the form it is compared in (`key`). */
export interface Fact {
  readonly kind: FactKind;
  readonly text: string;
  readonly key: string;
  /** Where the token starts in the text it was read from. */
  readonly at: number;
}

// Upper-case prefix, then dash-separated parts, at least one digit: TKT-1001, INV-2025-007, AST-SRV-001.
const ID = /\b[A-Z][A-Z0-9]{1,9}(?:-[A-Z0-9]+)+\b/g;
const ISO_DATE = /\b(\d{4})-(\d{2})-(\d{2})(?![\d-])/g;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
const MONTH_FIRST = new RegExp(`\\b${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b`, 'gi');
const DAY_FIRST = new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+${MONTH},?\\s+(\\d{4})\\b`, 'gi');
// A currency sign or code, thousands separators, or two decimals make a number an amount.
const AMOUNT = /(?:[$€£]\s?|\b(?:USD|EUR|GBP)\s?)?(?<!\w)-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s?(?:USD|EUR|GBP|dollars)\b)?/g;
const NUMBER_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];
const COUNTED =
  'tickets?|invoices?|customers?|accounts?|articles?|assets?|contacts?|licen[cs]es?|servers?|workstations?|laptops?|devices?|results?|records?|items?|entries|entry|days?|hours?|calls?|seats?|users?|matches|payments?';
const FILLER = new Set([
  'of',
  'the',
  'a',
  'an',
  'and',
  'or',
  'to',
  'in',
  'on',
  'at',
  'for',
  'with',
  'than',
  'these',
  'those',
  'them',
  'more',
  'other',
  'others',
  'per',
  'by',
  'is',
  'are',
  'was',
  'were',
]);
const COUNT = new RegExp(`\\b(\\d+|${NUMBER_WORDS.join('|')})\\s+((?:[a-z][\\w-]*\\s+){0,2}?)(${COUNTED})\\b`, 'gi');

const pad = (n: number) => String(n).padStart(2, '0');

function monthIndex(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;
}

function isoDay(year: number, month: number, day: number): string | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  return `${year}-${pad(month)}-${pad(day)}`;
}

/**
 * The magnitude of an amount or count token: "$1,800.00" → "1800", "two" → "2". Signs are
 * dropped because words carry them: "45 days ago" states what `days_remaining: -45` says.
 */
export function numberKey(token: string): string {
  const word = NUMBER_WORDS.indexOf(token.toLowerCase());
  if (word >= 0) return String(word);
  const value = Math.abs(Number(token.replace(/[^\d.]/g, '')));
  return Number.isFinite(value) ? String(value) : token;
}

/**
 * Whether `target` is the sum of two or more of `values` (a total the answer adds up from
 * amounts it states). Values are few (an answer's amounts), so every subset is tried, up to 2^16.
 */
export function sumOfSome(target: number, values: readonly number[]): boolean {
  const list = values.slice(0, 16).map((v) => Math.round(v * 100));
  const goal = Math.round(target * 100);
  for (let mask = 1; mask < 1 << list.length; mask += 1) {
    if ((mask & (mask - 1)) === 0) continue;
    let sum = 0;
    for (let i = 0; i < list.length; i += 1) if (mask & (1 << i)) sum += list[i] as number;
    if (sum === goal) return true;
  }
  return false;
}

/** Blanks the spans a pattern matched, so numbers inside IDs and dates are not read twice. */
function mask(text: string, spans: readonly [number, number][]): string {
  let out = text;
  for (const [start, end] of spans) out = `${out.slice(0, start)}${' '.repeat(end - start)}${out.slice(end)}`;
  return out;
}

function datesIn(text: string): { facts: Fact[]; spans: [number, number][] } {
  const facts: Fact[] = [];
  const spans: [number, number][] = [];
  const add = (m: RegExpExecArray, key: string | undefined) => {
    if (!key) return;
    facts.push({ kind: 'date', text: m[0], key, at: m.index });
    spans.push([m.index, m.index + m[0].length]);
  };
  for (const m of text.matchAll(ISO_DATE)) add(m, isoDay(Number(m[1]), Number(m[2]), Number(m[3])));
  for (const m of text.matchAll(MONTH_FIRST)) add(m, isoDay(Number(m[3]), monthIndex(m[1] ?? ''), Number(m[2])));
  for (const m of text.matchAll(DAY_FIRST)) add(m, isoDay(Number(m[3]), monthIndex(m[2] ?? ''), Number(m[1])));
  return { facts, spans };
}

function idsIn(text: string, flags = 'g'): { facts: Fact[]; spans: [number, number][] } {
  const facts: Fact[] = [];
  const spans: [number, number][] = [];
  for (const m of text.matchAll(new RegExp(ID.source, flags))) {
    if (!/\d/.test(m[0])) continue;
    facts.push({ kind: 'id', text: m[0], key: m[0].toUpperCase(), at: m.index });
    spans.push([m.index, m.index + m[0].length]);
  }
  return { facts, spans };
}

function isAmount(token: string): boolean {
  return /[$€£]|USD|EUR|GBP|dollars/.test(token) || /\d,\d{3}/.test(token) || /\.\d{2}\b/.test(token);
}

/** The fact-shaped tokens an answer states, in the order they appear. */
export function factsOf(answer: string): Fact[] {
  const ids = idsIn(answer);
  const dates = datesIn(mask(answer, ids.spans));
  const rest = mask(answer, [...ids.spans, ...dates.spans]);
  const facts: Fact[] = [...ids.facts, ...dates.facts];
  const counted: [number, number][] = [];
  for (const m of rest.matchAll(COUNT)) {
    const between = (m[2] ?? '').trim().split(/\s+/).filter(Boolean);
    if (between.some((w) => FILLER.has(w.toLowerCase()))) continue;
    facts.push({ kind: 'count', text: m[0].replace(/\s+/g, ' '), key: numberKey(m[1] ?? ''), at: m.index });
    counted.push([m.index, m.index + (m[1] ?? '').length]);
  }
  for (const m of mask(rest, counted).matchAll(AMOUNT)) {
    const token = m[0].trim();
    if (isAmount(token)) facts.push({ kind: 'amount', text: token, key: numberKey(token), at: m.index + m[0].indexOf(token) });
  }
  return facts.sort((a, b) => a.at - b.at);
}

/** What the model was told, as sets of comparable keys. */
export interface Evidence {
  readonly ids: ReadonlySet<string>;
  readonly dates: ReadonlySet<string>;
  /** Every number in the texts, and every number and list length of the JSON ones. */
  readonly numbers: ReadonlySet<string>;
}

/** Every number of a JSON value and the length of every list in it. */
function jsonNumbers(value: unknown, into: Set<string>): void {
  if (typeof value === 'number') into.add(numberKey(String(value)));
  else if (Array.isArray(value)) {
    into.add(String(value.length));
    for (const item of value) jsonNumbers(item, into);
  } else if (value && typeof value === 'object') {
    for (const item of Object.values(value)) jsonNumbers(item, into);
  }
}

// A number as text: thousands separators only in groups of three, so compact JSON lists
// ("[600,3000]") read as two numbers, not as 6003000.
const NUMBER = /-?(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?/g;

/** Collects the IDs, dates and numbers of the texts the model received, and only the dates of `datesOnly`. */
export function evidenceOf(texts: readonly string[], datesOnly: readonly string[] = []): Evidence {
  const ids = new Set<string>();
  const dates = new Set<string>();
  const numbers = new Set<string>();
  for (const text of datesOnly) for (const f of datesIn(text).facts) dates.add(f.key);
  for (const text of texts) {
    const found = idsIn(text, 'gi');
    for (const f of found.facts) ids.add(f.key);
    const dated = datesIn(text);
    for (const f of dated.facts) dates.add(f.key);
    for (const m of mask(text, found.spans).matchAll(NUMBER)) numbers.add(numberKey(m[0]));
    for (const m of text.matchAll(new RegExp(`\\b(${NUMBER_WORDS.join('|')})\\b`, 'gi'))) numbers.add(numberKey(m[1] ?? ''));
    try {
      jsonNumbers(JSON.parse(text), numbers);
    } catch {
      // not JSON: its numbers were read as text above
    }
  }
  return { ids, dates, numbers };
}

/** Whether the evidence holds a fact. */
export function supported(fact: Fact, evidence: Evidence): boolean {
  switch (fact.kind) {
    case 'id':
      return evidence.ids.has(fact.key);
    case 'date':
      return evidence.dates.has(fact.key);
    case 'amount':
    case 'count':
      return evidence.numbers.has(fact.key);
  }
}
