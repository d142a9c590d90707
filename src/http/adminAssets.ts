import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { Router } from '@koa/router';
import type { Context } from 'koa';
import { NotFoundError } from '../domain/errors.js';
import { ASSET_RULES, validAssetKind } from '../domain/tenant/assets.js';
import { sniffAsset } from '../policy/assetContent.js';
import { STORAGE_KEYS, StorageUnavailableError, type ObjectStorage } from '../storage/objectStorage.js';
import { runTenantCommand, type AdminTenantsDeps } from './adminTenants.js';
import { readRawBody } from './bbb/rawBody.js';
import { HttpProblem } from './problems.js';

export interface AdminAssetsDeps extends AdminTenantsDeps {
  /** The object store recordings use: assets are kept there under their sha256. */
  storage: ObjectStorage;
}

/**
 * `PUT|DELETE /admin/api/v1/tenants/:name/assets/:kind` (logo, slide, css). The body is the raw file; what it is
 * comes from its bytes, never from Content-Type. In order: 1. the tenant and kind exist, 2. the body fits the
 * kind's size, 3. its content is a type the kind accepts, 4. the bytes are stored under their sha256, 5. the
 * TenantAssetSet event. A refusal at 1–3 stores nothing; bytes stored at 4 with the event refused (a concurrent
 * change) are referenced by nothing and harmless.
 */
export function adminAssetsRouter(deps: AdminAssetsDeps): Router {
  const router = new Router({ prefix: '/admin/api/v1/tenants/:name/assets' });

  router.put('/:kind', async (ctx) => {
    const { tenant, kind } = target(ctx, deps);
    const rule = ASSET_RULES[kind];
    const bytes = await readRawBody(ctx.req, rule.maxBytes);
    if (!bytes) throw new HttpProblem(413, 'ASSET_TOO_LARGE', 'Asset too large', `the ${kind} exceeds ${rule.maxBytes} bytes; send ${rule.describe}`);
    const verdict = await sniffAsset(kind, bytes);
    if (verdict.kind === 'refused') throw new HttpProblem(415, 'ASSET_TYPE_REFUSED', 'Asset type refused', verdict.reason);
    const hash = createHash('sha256').update(bytes).digest('hex');
    await stored(deps.storage, STORAGE_KEYS.asset(hash), bytes, verdict.mime);
    ctx.body = await runTenantCommand(ctx, deps, { type: 'SetTenantAsset', data: { tenant, kind, hash, size: bytes.length, mime: verdict.mime } });
  });

  // The bytes stay: a running meeting created with this asset keeps its URL working.
  router.delete('/:kind', async (ctx) => {
    const { tenant, kind } = target(ctx, deps);
    ctx.body = await runTenantCommand(ctx, deps, { type: 'RemoveTenantAsset', data: { tenant, kind } });
  });

  return router;
}

function target(ctx: Context, deps: AdminAssetsDeps) {
  const tenant = String(ctx.params.name ?? '');
  if (!deps.tenantDirectory.get(tenant)) throw new NotFoundError(`tenant ${tenant} is not registered`);
  return { tenant, kind: validAssetKind(String(ctx.params.kind ?? '')) };
}

async function stored(storage: ObjectStorage, key: string, bytes: Buffer, contentType: string): Promise<void> {
  try {
    if ((await storage.size(key)) === bytes.length) return;
    await storage.put(key, Readable.from([bytes]), { contentType });
  } catch (error) {
    if (error instanceof StorageUnavailableError) {
      throw new HttpProblem(503, 'STORAGE_UNAVAILABLE', 'Storage unavailable', 'the asset store (S3) did not answer; nothing was changed. Try again in a few seconds.', { 'Retry-After': '5' });
    }
    throw error;
  }
}
