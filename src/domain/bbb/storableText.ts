/**
 * Text PostgreSQL cannot store: U+0000 (neither `text` nor `jsonb` take it) and UTF-16 surrogates without
 * their pair (no UTF-8 encoding exists; `jsonb` refuses the `\udXXX` escape JSON.stringify writes for them).
 * Refused where input enters, so it never reaches an event and turns into a 500 there.
 */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function isStorableText(text: string): boolean {
  return !UNSTORABLE.test(text);
}

/** The first parameter whose name or value cannot be stored, by its name as received; undefined when all can. */
export function unstorableParam(params: Iterable<readonly [string, string]>): string | undefined {
  for (const [name, value] of params) if (!isStorableText(name) || !isStorableText(value)) return name;
  return undefined;
}

/** What a refusal says about such text, for the one naming it. */
export function unstorableMessage(name: string): string {
  const shown = isStorableText(name) ? name : JSON.stringify(name).slice(1, -1);
  return `Param '${shown}' contains a character that cannot be stored (NUL or an unpaired surrogate); remove it and send the request again`;
}
