/**
 * Tokenizer of the inspectors' query-string syntax. Full-width quotes, parentheses, colon and the
 * ideographic space are folded to their ASCII forms one character for one, so positions still point
 * into the query as typed.
 */
import { queryStringError } from './query-error.js';

/** Longest phrase slop (`"a b"~N`). */
export const MAX_PHRASE_SLOP = 50;

export type CompareOp = 'gt' | 'gte' | 'lt' | 'lte';

interface TokenBase {
  /** Offset of the token's first character in the input. */
  pos: number;
  /** The token as typed. */
  text: string;
}

export type Token =
  | (TokenBase & { kind: 'lparen' | 'rparen' | 'and' | 'or' | 'not' })
  | (TokenBase & { kind: 'phrase'; value: string; slop?: number })
  | (TokenBase & { kind: 'word'; value: string; pattern: string; wildcard: boolean })
  | (TokenBase & { kind: 'field'; name: string })
  | (TokenBase & { kind: 'range'; bounds: Partial<Record<CompareOp, string>> })
  | (TokenBase & { kind: 'compare'; op: CompareOp; value: string });

const FOLD: Record<string, string> = {
  '\u201c': '"',
  '\u201d': '"',
  '\uff02': '"',
  '\uff08': '(',
  '\uff09': ')',
  '\uff1a': ':',
  '\u3000': ' ',
  '\uff3b': '[',
  '\uff3d': ']',
};

const OPERATORS: Record<string, 'and' | 'or' | 'not'> = {
  AND: 'and',
  '&&': 'and',
  OR: 'or',
  '||': 'or',
  NOT: 'not',
};

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;
const isSpace = (ch: string): boolean => /\s/u.test(ch);
const ends = (ch: string): boolean => isSpace(ch) || ch === '(' || ch === ')' || ch === '"';

/** Folds full-width punctuation to ASCII, keeping every character's offset. */
export function foldFullWidth(input: string): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const ch = input.charAt(i);
    out += FOLD[ch] ?? ch;
  }
  return out;
}

class Lexer {
  readonly tokens: Token[] = [];
  private i = 0;

  constructor(
    private readonly src: string,
    private readonly raw: string,
  ) {}

  run(): Token[] {
    while (this.i < this.src.length) {
      const ch = this.src.charAt(this.i);
      if (isSpace(ch)) this.i++;
      else this.next(ch);
    }
    return this.tokens;
  }

  private next(ch: string): void {
    const start = this.i;
    if (ch === '(' || ch === ')') {
      this.tokens.push({ kind: ch === '(' ? 'lparen' : 'rparen', pos: start, text: this.raw.charAt(start) });
      this.i++;
    } else if (ch === '"') {
      this.phrase();
    } else if ((ch === '-' || ch === '!' || ch === '+') && this.startsTerm(this.i + 1)) {
      if (ch !== '+') this.tokens.push({ kind: 'not', pos: start, text: ch });
      this.i++;
    } else {
      this.word(true);
    }
  }

  private startsTerm(at: number): boolean {
    const ch = this.src.charAt(at);
    return ch !== '' && !isSpace(ch) && ch !== ')';
  }

  private phrase(): void {
    const start = this.i;
    let value = '';
    let j = start + 1;
    for (; j < this.src.length && this.src.charAt(j) !== '"'; j++) {
      if (this.src.charAt(j) === '\\') j++;
      if (j >= this.src.length) break;
      value += this.src.charAt(j);
    }
    if (j >= this.src.length)
      throw queryStringError('the quote is never closed', start, this.raw.slice(start));
    j++;
    let slop: number | undefined;
    if (this.src.charAt(j) === '~') {
      const digits = /^\d+/.exec(this.src.slice(j + 1))?.[0];
      if (!digits) throw queryStringError('"~" after a phrase needs a number, e.g. "a b"~5', j, '~');
      slop = Number(digits);
      if (slop > MAX_PHRASE_SLOP) {
        throw queryStringError(`phrase slop is at most ${MAX_PHRASE_SLOP}`, j, `~${digits}`);
      }
      j += 1 + digits.length;
    }
    this.tokens.push({
      kind: 'phrase',
      value,
      pos: start,
      text: this.raw.slice(start, j),
      ...(slop === undefined ? {} : { slop }),
    });
    this.i = j;
  }

  /** Reads a word; a `name:` prefix becomes a field token followed by its value. */
  private word(allowField: boolean): void {
    const start = this.i;
    let value = '';
    let pattern = '';
    let wildcard = false;
    let j = start;
    for (; j < this.src.length && !ends(this.src.charAt(j)); j++) {
      const ch = this.src.charAt(j);
      if (ch === '\\') {
        const escaped = this.src.charAt(j + 1);
        if (escaped === '') throw queryStringError('a backslash at the end escapes nothing', j, '\\');
        value += escaped;
        pattern += escaped === '*' || escaped === '?' || escaped === '\\' ? `\\${escaped}` : escaped;
        j++;
        continue;
      }
      if (ch === ':' && allowField && FIELD_NAME.test(this.src.slice(start, j))) {
        this.field(start, j);
        return;
      }
      if (ch === '*' || ch === '?') wildcard = true;
      value += ch;
      pattern += ch;
    }
    const text = this.raw.slice(start, j);
    this.i = j;
    const op = value === text ? OPERATORS[text] : undefined;
    if (op) this.tokens.push({ kind: op, pos: start, text });
    else this.tokens.push({ kind: 'word', value, pattern, wildcard, pos: start, text });
  }

  private field(start: number, colon: number): void {
    this.tokens.push({
      kind: 'field',
      name: this.src.slice(start, colon),
      pos: start,
      text: this.raw.slice(start, colon + 1),
    });
    this.i = colon + 1;
    const ch = this.src.charAt(this.i);
    if (ch === '' || isSpace(ch) || ch === ')') {
      throw queryStringError(
        'a field needs a value right after the colon',
        start,
        this.raw.slice(start, colon + 1),
      );
    }
    if (ch === '(') return;
    if (ch === '"') this.phrase();
    else if (ch === '[' || ch === '{') this.range();
    else if (ch === '>' || ch === '<') this.compare();
    else this.word(false);
  }

  private range(): void {
    const start = this.i;
    const close = /[\]}]/.exec(this.src.slice(start + 1));
    if (!close)
      throw queryStringError('the range is never closed with "]" or "}"', start, this.raw.slice(start));
    const end = start + 1 + close.index;
    const text = this.raw.slice(start, end + 1);
    const parts = this.src
      .slice(start + 1, end)
      .trim()
      .split(/\s+/);
    if (parts.length !== 3 || parts[1] !== 'TO' || !parts[0] || !parts[2]) {
      throw queryStringError('a range reads [from TO to], e.g. [0 TO 10] or {* TO 2026-01-01}', start, text);
    }
    const bounds: Partial<Record<CompareOp, string>> = {};
    if (parts[0] !== '*') bounds[this.src.charAt(start) === '[' ? 'gte' : 'gt'] = parts[0];
    if (parts[2] !== '*') bounds[this.src.charAt(end) === ']' ? 'lte' : 'lt'] = parts[2];
    this.tokens.push({ kind: 'range', bounds, pos: start, text });
    this.i = end + 1;
  }

  private compare(): void {
    const start = this.i;
    const m = /^([<>]=?)([^\s()"]*)/.exec(this.src.slice(start));
    const opText = m?.[1] ?? '';
    const value = m?.[2] ?? '';
    const text = this.raw.slice(start, start + opText.length + value.length);
    if (value === '') throw queryStringError(`"${opText}" needs a value, e.g. >2026-01-01`, start, text);
    const op: CompareOp = opText === '>' ? 'gt' : opText === '>=' ? 'gte' : opText === '<' ? 'lt' : 'lte';
    this.tokens.push({ kind: 'compare', op, value, pos: start, text });
    this.i = start + text.length;
  }
}

/** Splits a query string into tokens; throws `QUERY_INVALID` with the position of a lexical error. */
export function tokenize(input: string): Token[] {
  return new Lexer(foldFullWidth(input), input).run();
}
