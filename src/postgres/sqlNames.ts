const PLAIN_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Only plain lower-case names reach SQL text: identifiers cannot be bound as parameters. */
export function checkSqlName(name: string, what: string): string {
  if (!PLAIN_NAME.test(name)) throw new Error(`${what} "${name}" must match ${PLAIN_NAME.source} (lower-case letters, digits, _)`);
  return name;
}

export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;
