/**
 * Markdown for data (§6.3). Responders paste the brief into incident channels, so every string
 * that comes from the catalog, telemetry, the on-call provider or the ledger reaches the markdown
 * only through one of these functions: data cannot start a link, image, emphasis, HTML, a table
 * cell or a line of its own, and a code span cannot be closed early by its content.
 */

/**
 * CommonMark line endings (and the other line breaks chat clients honour). Collapsing them keeps
 * every line's first characters the renderer's own, so `#`, `>`, `-` or `|` in data can never
 * start a heading, quote, list item or table row.
 */
const LINE_BREAKS = /[\r\n\v\f\u0085\u2028\u2029]+/g;

/**
 * Unicode's explicit directional embeddings, overrides and isolates (LRE, RLE, PDF, LRO, RLO,
 * LRI, RLI, FSI, PDI). One left open in data (`\u202E` in an entity title or an actor name)
 * reverses everything after it up to the end of the paragraph: the renderer's own words after
 * the data (`· tier 1 · customer-facing`, `(primary, …, until Mon 09:00Z)`) would read
 * backwards or in another order in the incident channel. They carry no text of their own, so
 * data loses nothing but the reordering when they are dropped. The marks LRM, RLM and ALM only
 * place the characters around them and are kept.
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/**
 * Punctuation that opens inline constructs in CommonMark and GFM: escapes and code (`\`, `` ` ``),
 * emphasis (`*`, `_`), strikethrough (`~`), links and images (`[`, `]`), HTML and autolinks
 * (`<`, `>`) and table cells (`|`, which GFM splits on even inside code). All are ASCII
 * punctuation, so a backslash before each is a valid escape that renders the character itself.
 */
const INLINE_SPECIAL = /[\\`*_~[\]<>|]/g;

/**
 * An `&` that starts something CommonMark reads as a character reference (`&amp;`, `&#169;`,
 * `&#xA9;`), which would render as another character. Escaped as `\&`; a lone `&` (`R&D`) is
 * literal already and left alone.
 */
const CHARACTER_REFERENCE = /&(?=(?:#[xX]?)?[A-Za-z0-9]+;)/g;

/** Line breaks collapsed to spaces and directional controls dropped: data stays in its place. */
function collapseLines(text: string): string {
  return text.replace(LINE_BREAKS, ' ').replace(BIDI_CONTROLS, '');
}

/**
 * Data as inline markdown text: line breaks collapsed to spaces, directional controls dropped,
 * markdown punctuation and character references escaped. Ordinary names and summaries (`checkout-service`,
 * `5.8.2 canary → 100 %`, `R&D`) come out unchanged.
 */
export function escapeMarkdown(text: string): string {
  return collapseLines(text)
    .replace(INLINE_SPECIAL, '\\$&')
    .replace(CHARACTER_REFERENCE, '\\&');
}

/**
 * Data as the text of an ATX heading (`### …`): {@link escapeMarkdown}, and every `#` escaped,
 * because a trailing run of `#` (`Checkout #`) is the heading's optional closing sequence and
 * would be dropped (CommonMark 4.2). Elsewhere data never starts a line, so `#` stays as it is.
 */
export function escapeHeading(text: string): string {
  return escapeMarkdown(text).replace(/#/g, '\\#');
}

/**
 * Data as a code span. A backslash does not escape inside code (CommonMark 6.1), so the fence is a
 * backtick run longer than any run in the text; a text that starts or ends with a backtick or a
 * space is padded with one space on each side, which CommonMark strips again. Not for table cells:
 * GFM splits cells on `|` even inside code.
 */
export function codeSpan(text: string): string {
  const body = collapseLines(text);
  // an empty span would be a bare backtick run that can pair with a later fence
  if (!body) return '` `';
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map(r => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = /^[ `]|[ `]$/.test(body) && body.trim() !== '' ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/** Characters besides whitespace and controls that would end or break a link destination. */
const URL_SPECIAL = new Set(['(', ')', '<', '>', '\\', '`', '|']);

/**
 * Whitespace, ASCII controls, {@link URL_SPECIAL} and directional controls are percent-encoded in
 * a destination.
 */
function mustEncode(c: string): boolean {
  const code = c.charCodeAt(0);
  return (
    code <= 0x20 ||
    code === 0x7f ||
    /\s/.test(c) ||
    URL_SPECIAL.has(c) ||
    // a directional control would reorder the raw text of the line around the link
    /[\u202A-\u202E\u2066-\u2069]/.test(c)
  );
}

function percentEncode(c: string): string {
  const code = c.charCodeAt(0);
  return code < 0x80
    ? `%${code.toString(16).toUpperCase().padStart(2, '0')}`
    : encodeURIComponent(c);
}

/**
 * `[label](url)` when `url` is http(s), with the characters that would end or break the
 * destination percent-encoded; any other scheme (`javascript:`, `file:`, a bare word) is shown as
 * escaped text after the label instead of becoming a link.
 */
export function markdownLink(label: string, url: string): string {
  const href = url.trim();
  if (!/^https?:\/\/\S/i.test(href))
    return `${escapeMarkdown(label)} ${escapeMarkdown(url)}`;
  const destination = Array.from(href, c =>
    mustEncode(c) ? percentEncode(c) : c,
  ).join('');
  return `[${escapeMarkdown(label)}](${destination})`;
}

/** Parts of a text split at its CommonMark code spans (§6.1 of CommonMark: equal-length runs). */
export function splitCodeSpans(
  text: string,
): { code: boolean; text: string }[] {
  const parts: { code: boolean; text: string }[] = [];
  const runs = /`+/g;
  let plainFrom = 0;
  for (let open = runs.exec(text); open; open = runs.exec(text)) {
    const openEnd = runs.lastIndex;
    let close = runs.exec(text);
    while (close && close[0].length !== open[0].length) close = runs.exec(text);
    if (!close) {
      // an unmatched run is literal text; look for spans again right after it
      runs.lastIndex = openEnd;
      continue;
    }
    let body = text.slice(openEnd, close.index);
    if (/^ [^]* $/.test(body) && body.trim() !== '') body = body.slice(1, -1);
    parts.push({ code: false, text: text.slice(plainFrom, open.index) });
    parts.push({ code: true, text: body });
    plainFrom = runs.lastIndex;
  }
  parts.push({ code: false, text: text.slice(plainFrom) });
  return parts.filter(p => p.code || p.text);
}

/**
 * A missing-evidence message or fix: plain text in which code spans mark literal names
 * (`` `tax-svc` ``; producers build them with {@link codeSpan}). Each span is re-fenced and the
 * rest escaped, so the result is safe whatever data went into the message.
 */
export function markedText(text: string): string {
  return splitCodeSpans(collapseLines(text))
    .map(p => (p.code ? codeSpan(p.text) : escapeMarkdown(p.text)))
    .join('');
}
