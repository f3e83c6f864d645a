/**
 * Splits message text into plain runs and web links, for a renderer that makes `<a>` of the
 * links and text nodes of the rest (never HTML). Only http(s) becomes a link: `javascript:`,
 * `data:` and every other scheme stay text, and so does anything the URL parser refuses or that
 * names a user before the host (`https://bank.example@evil.example` reads as the bank but is not).
 */
export type TextPiece = { text: string; href?: string };

/** A link candidate: http(s):// not glued to a word before it, up to a space, a control or format character, or a quote or angle bracket. */
const CANDIDATE = /(?<![\p{L}\p{N}_])https?:\/\/[^\s\p{C}\p{Z}<>"`]+/giu;
/** Sentence punctuation that follows a link more often than it ends one. */
const TRAILING = /[.,:;!?'*…。、，！？；：\p{Pi}\p{Pf}]$/u;
const PAIRS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
/** Longer than any real address a person pastes; beyond it the text stays text. */
const MAX_URL_CHARS = 2048;

export function linkPieces(text: string): TextPiece[] {
  const pieces: TextPiece[] = [];
  let at = 0;
  for (const match of text.matchAll(CANDIDATE)) {
    const raw = trimEnd(match[0]);
    const href = safeHref(raw);
    if (!href) continue;
    const start = match.index;
    if (start > at) pieces.push({ text: text.slice(at, start) });
    pieces.push({ text: raw, href });
    at = start + raw.length;
  }
  if (at < text.length) pieces.push({ text: text.slice(at) });
  return pieces;
}

/** Drops trailing punctuation, and a closing bracket the link did not open ("(see https://x.org/a)"). */
function trimEnd(raw: string): string {
  let s = raw;
  for (;;) {
    const last = s.at(-1) ?? '';
    const open = PAIRS[last];
    if (TRAILING.test(s)) s = s.slice(0, -1);
    else if (open && count(s, open) < count(s, last)) s = s.slice(0, -1);
    else return s;
  }
}

function count(s: string, ch: string): number {
  return s.split(ch).length - 1;
}

function safeHref(raw: string): string | null {
  if (raw.length > MAX_URL_CHARS) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (!url.hostname || url.username || url.password) return null;
  return url.href;
}
