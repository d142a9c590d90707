/** Scalelite's `meta_server-tag` matches untagged nodes with this tag name. */
export const UNTAGGED = 'none';

export interface TagRequest {
  /** Every one must be on the node (`a!`). */
  required: string[];
  /** Nodes with at least one of these rank first; the others remain fallbacks (`a`). */
  preferred: string[];
}

/**
 * `meta_server-tag` as Scalelite reads it, per tag: `a` preferred, `a!` required, several separated by `;`
 * (`,` too, as Scalelite's tags-README writes them). Empty items and a bare `!` mean nothing, so `''` and
 * `'!'` ask for no tag at all. Tags are compared as given: one no node carries simply matches nothing.
 */
export function parseServerTag(raw: string | undefined): TagRequest {
  const required = new Set<string>();
  const preferred = new Set<string>();
  for (const item of (raw ?? '').split(/[;,]/)) {
    const trimmed = item.trim();
    const isRequired = trimmed.endsWith('!');
    const tag = (isRequired ? trimmed.slice(0, -1) : trimmed).trim();
    if (tag === '') continue;
    (isRequired ? required : preferred).add(tag);
  }
  for (const tag of required) preferred.delete(tag);
  return { required: [...required].sort(), preferred: [...preferred].sort() };
}

/** `none` matches a node without tags; any other tag must be among the node's. */
export function carriesTag(nodeTags: readonly string[], tag: string): boolean {
  return tag === UNTAGGED ? nodeTags.length === 0 : nodeTags.includes(tag);
}
