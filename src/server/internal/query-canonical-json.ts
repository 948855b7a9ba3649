import { isUtf8 } from 'node:buffer';

/**
 * Whether `bytes` are exactly what `JSON.stringify(jsonSafe(JSON.parse(decode(bytes))))` gives back, so a
 * query worker may copy them into an answer as they are (query-fast-path.ts) instead of decoding and
 * encoding them again. The JSON serde writes `JSON.stringify` output, which nearly always is; but a store
 * also holds what its changelog held (another writer's bytes after a restore), so this is checked, not
 * assumed. Conservative: `false` only means "decode and encode", never a different answer. Accepted: no
 * whitespace outside strings; numbers as `Number#toString` writes them; strings whose escapes are the
 * short ones `JSON.stringify` writes (`\" \\ \b \f \n \r \t`, no `\u`) and whose other bytes are well-formed
 * UTF-8 (no leading BOM, which the decoder would drop); object keys that are not repeated (the last value
 * would win, at the first key's place), not `__proto__` (jsonSafe drops it) and do not start with a digit
 * (integer keys are listed first, whatever their place); at most {@link MAX_DEPTH} levels.
 */
export function isCanonicalJson(bytes: Uint8Array): boolean {
  b = bytes;
  i = 0;
  nonAscii = false;
  keyTop = 0;
  try {
    if (!value(0) || i !== b.length) return false;
    return !nonAscii || isUtf8(b);
  } finally {
    b = EMPTY;
  }
}

const MAX_DEPTH = 64;
/** Keys checked for repeats across the open objects; a value with more falls back (decoded). */
const MAX_KEYS = 1024;
const EMPTY = new Uint8Array(0);
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const PROTO = Buffer.from('"__proto__"', 'latin1');

let b: Uint8Array = EMPTY;
let i = 0;
let nonAscii = false;
/** Start and end (exclusive, quotes included) of the keys of the open objects, innermost last. */
const keys = new Int32Array(MAX_KEYS * 2);
let keyTop = 0;

function value(depth: number): boolean {
  const c = b[i];
  if (c === 0x7b) return depth < MAX_DEPTH && object(depth + 1);
  if (c === 0x5b) return depth < MAX_DEPTH && array(depth + 1);
  if (c === QUOTE) return string();
  if (c === 0x74) return word(0x74, 0x72, 0x75, 0x65, -1); // true
  if (c === 0x66) return word(0x66, 0x61, 0x6c, 0x73, 0x65); // false
  if (c === 0x6e) return word(0x6e, 0x75, 0x6c, 0x6c, -1); // null
  return number();
}

function word(c0: number, c1: number, c2: number, c3: number, c4: number): boolean {
  if (b[i] !== c0 || b[i + 1] !== c1 || b[i + 2] !== c2 || b[i + 3] !== c3) return false;
  if (c4 < 0) {
    i += 4;
    return true;
  }
  if (b[i + 4] !== c4) return false;
  i += 5;
  return true;
}

/** Steps over the `{` or `[` at i; true if `close` follows at once (an empty object or array). */
function empty(close: number): boolean {
  i++;
  if (b[i] !== close) return false;
  i++;
  return true;
}

function object(depth: number): boolean {
  if (empty(0x7d)) return true;
  const base = keyTop;
  try {
    for (;;) {
      const start = i;
      if (b[i] !== QUOTE || !string()) return false;
      if (!newKey(base, start, i)) return false;
      if (b[i] !== 0x3a) return false;
      i++;
      if (!value(depth)) return false;
      const c = b[i++];
      if (c === 0x7d) return true;
      if (c !== 0x2c) return false;
    }
  } finally {
    keyTop = base;
  }
}

/** Records the key at [start, end) of the object whose keys begin at `base`; false if it is not accepted. */
function newKey(base: number, start: number, end: number): boolean {
  const first = b[start + 1]!;
  if (first >= 0x30 && first <= 0x39) return false;
  const length = end - start;
  if (length === PROTO.length && same(start, PROTO, 0, length)) return false;
  for (let k = base; k < keyTop; k += 2) {
    const s = keys[k]!;
    if (keys[k + 1]! - s === length && same(start, b, s, length)) return false;
  }
  if (keyTop === keys.length) return false;
  keys[keyTop++] = start;
  keys[keyTop++] = end;
  return true;
}

function same(start: number, other: Uint8Array, otherStart: number, length: number): boolean {
  for (let k = 0; k < length; k++) if (b[start + k] !== other[otherStart + k]) return false;
  return true;
}

function array(depth: number): boolean {
  if (empty(0x5d)) return true;
  for (;;) {
    if (!value(depth)) return false;
    const c = b[i++];
    if (c === 0x5d) return true;
    if (c !== 0x2c) return false;
  }
}

function string(): boolean {
  i++;
  for (;;) {
    const c = b[i];
    if (c === undefined) return false;
    i++;
    if (c === QUOTE) return true;
    if (c === BACKSLASH) {
      const e = b[i++];
      // \" \\ \b \f \n \r \t: what JSON.stringify writes for those characters (never \/ or \u here).
      if (
        e !== QUOTE &&
        e !== BACKSLASH &&
        e !== 0x62 &&
        e !== 0x66 &&
        e !== 0x6e &&
        e !== 0x72 &&
        e !== 0x74
      )
        return false;
    } else if (c < 0x20) return false;
    else if (c >= 0x80) nonAscii = true;
  }
}

const digit = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x39;

function number(): boolean {
  const start = i;
  if (b[i] === 0x2d) i++;
  const intStart = i;
  if (b[i] === 0x30) i++;
  else if (digit(b[i])) while (digit(b[i])) i++;
  else return false;
  const intDigits = i - intStart;
  let plain = true;
  if (b[i] === 0x2e) {
    plain = false;
    i++;
    if (!digit(b[i])) return false;
    while (digit(b[i])) i++;
  }
  if (b[i] === 0x65 || b[i] === 0x45) {
    plain = false;
    i++;
    if (b[i] === 0x2b || b[i] === 0x2d) i++;
    if (!digit(b[i])) return false;
    while (digit(b[i])) i++;
  }
  // An integer of at most 15 digits is exact and written back as it is (but -0 becomes 0).
  if (plain && intDigits <= 15 && !(intStart > start && b[intStart] === 0x30)) return true;
  const text = Buffer.from(b.buffer, b.byteOffset + start, i - start).toString('latin1');
  return String(Number(text)) === text;
}
