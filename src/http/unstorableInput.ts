import type { Context, Next } from 'koa';
import { isStorableText } from '../domain/bbb/storableText.js';
import { ValidationError } from '../domain/errors.js';
import { HttpProblem } from './problems.js';

const REFUSED = 'contains a character that cannot be stored (NUL or an unpaired surrogate); remove it and send the request again';

/**
 * The first string in a parsed JSON body that PostgreSQL could not store, keys included, by its path
 * (`tags[2]`, `limits.name`); undefined when there is none.
 */
export function unstorableField(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return isStorableText(value) ? undefined : path || '(body)';
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unstorableField(value[i], `${path}[${i}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      if (!isStorableText(key)) return JSON.stringify(at).slice(1, -1);
      const found = unstorableField(inner, at);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** @throws ValidationError (400, naming the field) for a JSON body holding unstorable text. */
export function refuseUnstorableBody(body: unknown): void {
  const field = unstorableField(body);
  if (field !== undefined) throw new ValidationError(`${field} ${REFUSED}`, field);
}

/**
 * Admin paths and query parameters are decoded by the router into names that reach the event store: one
 * holding NUL (`%00`), an unpaired surrogate or a broken escape is a 400 here, never a store error.
 */
export async function refuseUnstorableTarget(ctx: Context, next: Next): Promise<void> {
  for (const segment of ctx.path.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw new HttpProblem(400, 'MALFORMED_PATH', 'Malformed path', 'the path is not valid percent-encoded UTF-8');
    }
    if (!isStorableText(decoded)) throw new ValidationError(`the path ${REFUSED}`, 'path');
  }
  for (const [name, value] of Object.entries(ctx.query)) {
    const values = Array.isArray(value) ? value : [value ?? ''];
    if (!isStorableText(name) || !values.every(isStorableText)) throw new ValidationError(`query parameter ${JSON.stringify(name)} ${REFUSED}`, name);
  }
  await next();
}
