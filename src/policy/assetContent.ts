import { fileTypeFromBuffer } from 'file-type';
import { ASSET_RULES, type AssetKind } from '../domain/tenant/assets.js';

/**
 * What an uploaded asset really is, from its bytes: never from the Content-Type header, which a client sets to
 * whatever it likes. Binary formats (PNG, JPEG, PDF, and PPTX/ODP, which are ZIP files only their entries tell
 * apart) by `file-type`'s signatures; SVG and CSS, which are text and have none, by a careful look at the text.
 * Either the media type the kind accepts, or the reason it is refused.
 */
export type AssetVerdict = { kind: 'accepted'; mime: string } | { kind: 'refused'; reason: string };

export async function sniffAsset(kind: AssetKind, bytes: Buffer): Promise<AssetVerdict> {
  const rule = ASSET_RULES[kind];
  if (bytes.length === 0) return { kind: 'refused', reason: `the body is empty; send ${rule.describe}` };
  // An XML declaration is all file-type sees of an SVG: text formats are judged by their text below.
  const sniffed = await fileTypeFromBuffer(bytes);
  const found = sniffed?.mime === 'application/xml' ? undefined : sniffed;
  if (found && rule.mimes.includes(found.mime)) return { kind: 'accepted', mime: found.mime };
  if (found) return { kind: 'refused', reason: `the content is ${found.mime} (.${found.ext}), not what a ${kind} may be; send ${rule.describe}` };
  if (kind === 'logo') {
    const svg = svgProblem(bytes);
    return svg === undefined ? { kind: 'accepted', mime: 'image/svg+xml' } : { kind: 'refused', reason: `${svg}; send ${rule.describe}` };
  }
  if (kind === 'css') {
    const css = cssProblem(bytes);
    return css === undefined ? { kind: 'accepted', mime: 'text/css' } : { kind: 'refused', reason: `${css}; send ${rule.describe}` };
  }
  return { kind: 'refused', reason: `the content is not a file type this server recognises; send ${rule.describe}` };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function textOf(bytes: Buffer): string | undefined {
  try {
    return utf8.decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return undefined;
  }
}

/** Control characters other than tab, line feed, form feed and carriage return: binary, not text. */
const CONTROL = /[\u0000-\u0008\u000B\u000E-\u001F\u007F]/;

/**
 * An SVG is served from bbb-ledger's own origin, so one that runs script would run it there: scripts, event
 * handler attributes, `javascript:` URLs and foreign (HTML) content are refused, not cleaned.
 */
export function svgProblem(bytes: Buffer): string | undefined {
  const text = textOf(bytes);
  if (text === undefined || CONTROL.test(text)) return 'the content is neither a PNG or JPEG image nor UTF-8 text';
  // The prologue may hold an XML declaration, comments and a doctype, in that order; then the root element.
  const prologue = /^\s*(<\?xml[^>]*\?>\s*)?((<!--[\s\S]*?-->|<!DOCTYPE\s+svg[^>[]*(\[[\s\S]*?\])?\s*>)\s*)*/i.exec(text)![0];
  const rest = text.slice(prologue.length);
  if (!/^<svg[\s>/]/.test(rest)) return 'the content is not an SVG image (its root element is not <svg>)';
  if (!/xmlns\s*=\s*["']http:\/\/www\.w3\.org\/2000\/svg["']/.test(rest)) return 'the SVG root lacks xmlns="http://www.w3.org/2000/svg", which browsers need to show it as an image';
  if (!/<\/svg\s*>\s*$/.test(rest) && !/^<svg[^>]*\/>\s*$/.test(rest)) return 'the SVG is not complete (it does not end with </svg>)';
  if (/<!ENTITY/i.test(prologue)) return 'the SVG declares entities, which this server refuses (entity expansion)';
  if (/<script[\s>/]/i.test(rest)) return 'the SVG contains a <script> element; remove it';
  if (/<foreignObject[\s>/]/i.test(rest)) return 'the SVG contains <foreignObject> (HTML inside the image); remove it';
  if (/\son[a-z]+\s*=/i.test(rest)) return 'the SVG contains an event handler attribute (on…=); remove it';
  if (/javascript\s*:/i.test(rest)) return 'the SVG contains a javascript: URL; remove it';
  return undefined;
}

/**
 * A stylesheet is text in which comments, strings and blocks are closed; HTML or script smuggled in as "CSS"
 * (a page, `</style>`, `javascript:` URLs, IE's `expression()`, old `behavior:`) is refused.
 */
export function cssProblem(bytes: Buffer): string | undefined {
  const text = textOf(bytes);
  if (text === undefined || CONTROL.test(text)) return 'the content is not UTF-8 text, so it is not a stylesheet';
  if (text.trim() === '') return 'the stylesheet is empty';
  if (/^\s*</.test(text) || /<\/?(style|script|html|body|head)[\s>/]/i.test(text)) return 'the content is HTML, not a stylesheet';
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return 'the stylesheet has a comment that is never closed';
      i = end + 1;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      if (text[j] !== c) return 'the stylesheet has a string that is never closed';
      i = j;
    } else if (c === '{') depth++;
    else if (c === '}' && --depth < 0) return 'the stylesheet closes a block it never opened';
  }
  if (depth !== 0) return 'the stylesheet opens a block it never closes';
  if (/javascript\s*:/i.test(text) || /expression\s*\(/i.test(text) || /behavior\s*:/i.test(text) || /-moz-binding/i.test(text)) {
    return 'the stylesheet contains script (javascript:, expression(), behavior or -moz-binding); remove it';
  }
  return undefined;
}
