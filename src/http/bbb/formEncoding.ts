/**
 * Strict `application/x-www-form-urlencoded` decoding for BBB parameters. URLSearchParams would silently turn
 * `%zz` into literal text and invalid UTF-8 into U+FFFD; a balancer that forwards parameters to nodes must
 * refuse such input instead of guessing.
 */

export type FormDecoding = { ok: true; pairs: [string, string][] } | { ok: false };

// ignoreBOM: a leading U+FEFF is part of the value, as decodeURIComponent and URLSearchParams keep it.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * `raw` holds one byte per character (a query string, or a body read as latin1). Raw bytes above 0x7f are
 * taken as UTF-8 only when `allowRawBytes`: a query must arrive percent-encoded, or its checksum could not
 * be recomputed byte for byte.
 */
export function decodeForm(raw: string, allowRawBytes: boolean): FormDecoding {
  const pairs: [string, string][] = [];
  for (const part of raw.split('&')) {
    if (part.length === 0) continue;
    const eq = part.indexOf('=');
    const key = decodeComponent(eq < 0 ? part : part.slice(0, eq), allowRawBytes);
    const value = decodeComponent(eq < 0 ? '' : part.slice(eq + 1), allowRawBytes);
    if (key === undefined || value === undefined) return { ok: false };
    pairs.push([key, value]);
  }
  return { ok: true, pairs };
}

/** Plain ASCII without `%` or `+` decodes to itself: most parameter names and many values. */
const PLAIN_ASCII = /^[\x00-\x24\x26-\x2a\x2c-\x7f]*$/;

/** Escapes and `+` over plain ASCII: what browsers and BBB libraries send. */
const ASCII = /^[\x00-\x7f]*$/;

function decodeComponent(text: string, allowRawBytes: boolean): string | undefined {
  if (PLAIN_ASCII.test(text)) return text;
  // decodeURIComponent is as strict (a bad escape or invalid UTF-8 throws) and native; raw bytes need the loop.
  if (ASCII.test(text)) {
    try {
      return decodeURIComponent(text.replaceAll('+', ' '));
    } catch {
      return undefined;
    }
  }
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x25) {
      const hex = text.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return undefined;
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (code === 0x2b) {
      bytes.push(0x20);
    } else if (code < 0x80 || (allowRawBytes && code <= 0xff)) {
      bytes.push(code);
    } else {
      return undefined;
    }
  }
  try {
    return utf8.decode(Uint8Array.from(bytes));
  } catch {
    return undefined;
  }
}

/** bbb-web's rule for repeated parameters: the first value wins. */
export function firstValues(pairs: Iterable<readonly [string, string]>, into = new Map<string, string>()): Map<string, string> {
  for (const [key, value] of pairs) if (!into.has(key)) into.set(key, value);
  return into;
}
