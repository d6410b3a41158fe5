// Text checks shared by parameter validation and exit reasons.

/** True when `text` holds a C0 control character or DEL (newlines included). */
export function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/** Replaces control characters (newlines, tabs …) by spaces, for one-line output. */
export function flattenControlCharacters(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out += c < 0x20 || c === 0x7f ? ' ' : text[i];
  }
  return out;
}
