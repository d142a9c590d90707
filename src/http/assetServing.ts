import type { Context, Next } from 'koa';
import { isAssetKind, type TenantAsset } from '../domain/tenant/assets.js';
import type { TenantDirectory } from '../projections/tenantDirectory.js';
import { STORAGE_KEYS, type ObjectStorage } from '../storage/objectStorage.js';
import { HttpProblem } from './problems.js';

export interface AssetServingDeps {
  tenantDirectory: Pick<TenantDirectory, 'assetOf' | 'pastAssetOf'>;
  storage: ObjectStorage;
}

const PATH = /^\/assets\/([^/]+)\/([^/]+)$/;
/** A hashed URL never changes meaning: browsers and proxies may keep it a year without asking again. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * `GET /assets/<tenant>/<kind>?v=<hash>`, public: the tenant's logo, slide or stylesheet as BBB nodes and
 * browsers fetch them. With `v` the asset of that hash (the current one, or one the tenant had before: a running
 * meeting keeps its URL), cached for ever; without `v` the current one, revalidated. Anything else is 404.
 */
export function assetServing(deps: AssetServingDeps) {
  return async function assetServingMiddleware(ctx: Context, next: Next): Promise<void> {
    const match = PATH.exec(ctx.path);
    if (!match || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    const [, tenant, kind] = match as unknown as [string, string, string];
    const v = typeof ctx.query.v === 'string' ? ctx.query.v : undefined;
    const asset = !isAssetKind(kind) ? undefined : v === undefined ? deps.tenantDirectory.assetOf(tenant, kind) : deps.tenantDirectory.pastAssetOf(tenant, kind, v);
    if (!asset) throw new HttpProblem(404, 'ASSET_NOT_FOUND', 'Not found', `tenant ${tenant} has no ${kind}${v === undefined ? '' : ` with hash ${v}`}`);
    headers(ctx, asset, v === undefined ? 'no-cache' : IMMUTABLE);
    if (ctx.get('If-None-Match') === `"${asset.hash}"`) {
      ctx.status = 304;
      return;
    }
    const object = await deps.storage.get(STORAGE_KEYS.asset(asset.hash));
    if (!object) throw new HttpProblem(404, 'ASSET_NOT_FOUND', 'Not found', `the ${kind} of tenant ${tenant} is missing from storage; upload it again`);
    ctx.status = 200;
    ctx.length = asset.size;
    ctx.body = ctx.method === 'HEAD' ? null : object.body;
    if (ctx.method === 'HEAD') object.body.destroy();
  };
}

function headers(ctx: Context, asset: TenantAsset, cacheControl: string): void {
  ctx.type = asset.mime === 'text/css' ? 'text/css; charset=utf-8' : asset.mime;
  ctx.set('Cache-Control', cacheControl);
  ctx.set('ETag', `"${asset.hash}"`);
  ctx.set('X-Content-Type-Options', 'nosniff');
  // An SVG opened on its own is a document of our origin: it may style itself, never run or fetch anything.
  ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
  // The BBB client (another origin) loads the stylesheet and logo.
  ctx.set('Access-Control-Allow-Origin', '*');
}
