import { BlastRadiusInputError } from './BlastRadiusInputError';

// base64url over plain ASCII so the cursor works the same in browsers and Node without Buffer
const ALPHABET =
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function encodeAscii(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i += 3) {
    const a = text.charCodeAt(i);
    const b = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
    const c = i + 2 < text.length ? text.charCodeAt(i + 2) : 0;
    const n = (a << 16) | (b << 8) | c;
    const chars = Math.min(4, Math.ceil(((text.length - i) * 8) / 6));
    for (let k = 0; k < chars; k++) out += ALPHABET[(n >> (18 - 6 * k)) & 63];
  }
  return out;
}

function decodeAscii(code: string): string {
  let out = '';
  for (let i = 0; i < code.length; i += 4) {
    let n = 0;
    const chunk = code.slice(i, i + 4);
    for (let k = 0; k < 4; k++) {
      const v = k < chunk.length ? ALPHABET.indexOf(chunk[k]) : 0;
      if (v < 0) return '';
      n |= v << (18 - 6 * k);
    }
    const bytes = Math.floor((chunk.length * 6) / 8);
    for (let k = 0; k < bytes; k++)
      out += String.fromCharCode((n >> (16 - 8 * k)) & 255);
  }
  return out;
}

/** Makes the opaque cursor of the next page; bound to the query so it cannot be replayed elsewhere. */
export function encodeCursor(queryKey: string, offset: number): string {
  return encodeAscii(
    encodeURIComponent(JSON.stringify({ q: queryKey, o: offset })),
  );
}

/** Reads a cursor made by {@link encodeCursor} for the same query, or throws 400. */
export function decodeCursor(cursor: string, queryKey: string): number {
  try {
    const parsed = JSON.parse(decodeURIComponent(decodeAscii(cursor)));
    if (parsed.q === queryKey && Number.isInteger(parsed.o) && parsed.o >= 0) {
      return parsed.o;
    }
  } catch {
    // fall through to the error below
  }
  throw new BlastRadiusInputError(400, 'cursor is not valid for this query');
}
