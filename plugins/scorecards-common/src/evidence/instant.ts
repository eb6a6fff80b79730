/** Two ASCII digits at `i` as a number, or -1. */
function twoDigits(text: string, i: number): number {
  const a = text.charCodeAt(i) - 48;
  const b = text.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** The last text parsed and its instant (see `parseInstantMs`). */
let lastText = '';
let lastMs = Number.NaN;

/**
 * `Date.parse` for instants, with a fast path for the shape every collector and the engine
 * write (`YYYY-MM-DDTHH:MM:SSZ` and `YYYY-MM-DDTHH:MM:SS.sssZ`, valid calendar fields): those
 * are computed directly (proleptic Gregorian, UTC), about four times faster than the
 * general parser. Everything else — dates, offsets, out-of-range fields — goes to `Date.parse`,
 * so the answer is always the same as `Date.parse(text)`.
 */
export function parseInstantMs(text: string): number {
  // Records read from storage are typed but not trusted: anything but a string goes to Date.parse.
  if (typeof text !== 'string') return Date.parse(text);
  // Records collected together carry the same instant (a source's facts of one run), and
  // reading a digit costs about as much as comparing the whole text: the last answer is kept.
  if (text === lastText) return lastMs;
  const ms = parseUncached(text);
  lastText = text;
  lastMs = ms;
  return ms;
}

/**
 * `parseInstantMs` without its one-entry memo, for text that must not be kept: the memo holds
 * the last text parsed, and a string cut out of a response keeps the whole response alive
 * (`compactLedger` parses records before the evidence mirror has copied their strings).
 */
export function parseInstantMsUncached(text: string): number {
  if (typeof text !== 'string') return Date.parse(text);
  return parseUncached(text);
}

function parseUncached(text: string): number {
  const n = text.length;
  if (
    (n === 20 || n === 24) &&
    text.charCodeAt(n - 1) === 90 && // Z
    text.charCodeAt(4) === 45 && // -
    text.charCodeAt(7) === 45 &&
    text.charCodeAt(10) === 84 && // T
    text.charCodeAt(13) === 58 && // :
    text.charCodeAt(16) === 58
  ) {
    const century = twoDigits(text, 0);
    const yearOfCentury = twoDigits(text, 2);
    const month = twoDigits(text, 5);
    const day = twoDigits(text, 8);
    const hour = twoDigits(text, 11);
    const minute = twoDigits(text, 14);
    const second = twoDigits(text, 17);
    let ms = 0;
    if (n === 24) {
      const hundreds = twoDigits(text, 20);
      const units = text.charCodeAt(22) - 48;
      ms =
        text.charCodeAt(19) === 46 && hundreds >= 0 && units >= 0 && units <= 9
          ? hundreds * 10 + units
          : -1;
    }
    if (
      century >= 0 &&
      yearOfCentury >= 0 &&
      month >= 1 &&
      month <= 12 &&
      day >= 1 &&
      hour >= 0 &&
      hour <= 23 &&
      minute >= 0 &&
      minute <= 59 &&
      second >= 0 &&
      second <= 59 &&
      ms >= 0
    ) {
      const year = century * 100 + yearOfCentury;
      const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
      let daysInMonth = 31;
      if (month === 2) daysInMonth = leap ? 29 : 28;
      else if (month === 4 || month === 6 || month === 9 || month === 11)
        daysInMonth = 30;
      if (day <= daysInMonth) {
        // Days since 1970-01-01 from a civil date (H. Hinnant's days_from_civil).
        const y = month <= 2 ? year - 1 : year;
        const era = Math.floor(y / 400);
        const yearOfEra = y - era * 400;
        const monthFromMarch = month > 2 ? month - 3 : month + 9;
        const dayOfYear = Math.floor((153 * monthFromMarch + 2) / 5) + day - 1;
        const dayOfEra =
          yearOfEra * 365 +
          Math.floor(yearOfEra / 4) -
          Math.floor(yearOfEra / 100) +
          dayOfYear;
        const days = era * 146097 + dayOfEra - 719468;
        return (days * 86400 + hour * 3600 + minute * 60 + second) * 1000 + ms;
      }
    }
  }
  return Date.parse(text);
}
