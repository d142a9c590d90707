import { SLIDE_EXTENSIONS, type AssetKind, type TenantAsset } from '../tenant/assets.js';
import type { Params } from './applyRules.js';

/**
 * A tenant's branding as BBB parameters, applied before the parameter rules (so a rule on `logo` has the last
 * word). Branding is a default, like a `set` rule: a parameter the client sent itself is kept, because a
 * frontend that passes its own logo or stylesheet for a room means it.
 */

/** Join's parameter for a stylesheet the client loads (bbb-html5's `userdata-bbb_custom_style_url`). */
export const CUSTOM_STYLE_PARAM = 'userdata-bbb_custom_style_url';

/** `/assets/<tenant>/<kind>?v=<hash>` on `origin` (PUBLIC_URL, else the request's own): the hash makes it cacheable for ever. */
export function assetUrl(origin: string, tenant: string, kind: AssetKind, hash: string): string {
  return `${origin.replace(/\/+$/, '')}/assets/${encodeURIComponent(tenant)}/${kind}?v=${hash}`;
}

/** The parameters with `name=value` added when the client sent no `name`; the very object when nothing is added. */
export function withDefault(params: Params, name: string, value: string | undefined): Params {
  if (value === undefined) return params;
  const list = [...params];
  if (list.some(([k]) => k === name)) return params;
  list.push([name, value]);
  return list;
}

/**
 * create's XML body for a tenant slide: BBB fetches the document from `url` before the meeting starts
 * (a pre-uploaded presentation, bbb-web's `<modules>`).
 */
export function slideModulesXml(url: string, tenant: string, slide: TenantAsset): string {
  const filename = slideFilename(tenant, slide);
  return `<?xml version="1.0" encoding="UTF-8"?><modules><module name="presentation"><document url="${xmlAttribute(url)}" filename="${xmlAttribute(filename)}"/></module></modules>`;
}

/** The name BBB shows in the presentation list: the tenant's, with the extension of what the slide is. */
export function slideFilename(tenant: string, slide: TenantAsset): string {
  return `${tenant}-slide.${SLIDE_EXTENSIONS[slide.mime] ?? 'pdf'}`;
}

function xmlAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
