/**
 * A copy of `text` that shares no memory with the string it was cut from. V8 represents a slice, a
 * trim or a parser's substring (htmlparser2 attribute values and text nodes) of 13 characters or more
 * as a view of its parent, so a short string kept in a long-lived map pins the whole page it came from
 * (a 40-character link text can hold a 200 KB HTML document). Use it on strings a cache keeps.
 */
export function detach(text: string): string {
  // The concatenation is flattened into a new string before `slice` cuts the leading space off it.
  return text.length < 13 ? text : ` ${text}`.slice(1);
}
