import { NotFoundError, ValidationError } from '../errors.js';

/**
 * A tenant's branding: a logo (create's `logo`), a default slide (create's pre-uploaded presentation) and a
 * stylesheet (join's `userdata-bbb_custom_style_url`). The bytes live in object storage under their sha256; the
 * log carries only kind, hash, size and the type the content was found to be.
 */
export const ASSET_KINDS = ['logo', 'slide', 'css'] as const;
export type AssetKind = (typeof ASSET_KINDS)[number];

export const isAssetKind = (kind: string): kind is AssetKind => (ASSET_KINDS as readonly string[]).includes(kind);

const MIB = 1024 * 1024;

/** What each kind may be: the media types its content may turn out to be, and its largest size in bytes. */
export const ASSET_RULES: Readonly<Record<AssetKind, { mimes: readonly string[]; maxBytes: number; describe: string }>> = {
  logo: { mimes: ['image/png', 'image/jpeg', 'image/svg+xml'], maxBytes: MIB, describe: 'a PNG, JPEG or SVG image of at most 1 MiB' },
  slide: {
    mimes: [
      'application/pdf',
      'application/vnd.openxmlformats-officedocument.presentationml.presentation',
      'application/vnd.oasis.opendocument.presentation',
      'image/png',
    ],
    maxBytes: 20 * MIB,
    describe: 'a PDF, PPTX, ODP or PNG file of at most 20 MiB',
  },
  css: { mimes: ['text/css'], maxBytes: 100 * 1024, describe: 'a CSS stylesheet of at most 100 KiB' },
};

/** The file name nodes are given for a slide (BBB shows it in the presentation list), by media type. */
export const SLIDE_EXTENSIONS: Readonly<Record<string, string>> = {
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
  'application/vnd.oasis.opendocument.presentation': 'odp',
  'image/png': 'png',
};

export type TenantAsset = {
  /** sha256 of the bytes, lower-case hex: the storage key and the `v` of its URL. */
  hash: string;
  size: number;
  mime: string;
};

export type TenantAssetSet = { type: 'TenantAssetSet'; data: { tenant: string; kind: AssetKind } & TenantAsset };
export type TenantAssetRemoved = { type: 'TenantAssetRemoved'; data: { tenant: string; kind: AssetKind; hash: string } };
export type AssetEvent = TenantAssetSet | TenantAssetRemoved;
export const ASSET_EVENT_TYPES: readonly AssetEvent['type'][] = ['TenantAssetSet', 'TenantAssetRemoved'];

/** The bytes are stored before this is asked; `mime` is what their content was found to be, never a header. */
export type SetTenantAsset = { type: 'SetTenantAsset'; data: { tenant: string; kind: string } & TenantAsset };
export type RemoveTenantAsset = { type: 'RemoveTenantAsset'; data: { tenant: string; kind: string } };
export type AssetCommand = SetTenantAsset | RemoveTenantAsset;

export type AssetState = Partial<Record<AssetKind, TenantAsset>>;

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function validAssetKind(kind: string): AssetKind {
  if (!isAssetKind(kind)) throw new NotFoundError(`there is no asset kind "${kind}"; use logo, slide or css`);
  return kind;
}

export function decideSetAsset(command: SetTenantAsset, assets: AssetState): AssetEvent[] {
  const { tenant, hash, size, mime } = command.data;
  const kind = validAssetKind(command.data.kind);
  const rule = ASSET_RULES[kind];
  if (!SHA256_HEX.test(hash)) throw new ValidationError('hash must be the sha256 of the content in lower-case hex', 'hash');
  if (!Number.isInteger(size) || size <= 0) throw new ValidationError(`the ${kind} is empty; send ${rule.describe}`, 'size');
  if (size > rule.maxBytes) throw new ValidationError(`the ${kind} has ${size} bytes, more than ${rule.maxBytes}; send ${rule.describe}`, 'size');
  if (!rule.mimes.includes(mime)) throw new ValidationError(`the ${kind}'s content is ${mime}; send ${rule.describe}`, 'mime');
  if (assets[kind]?.hash === hash) return [];
  return [{ type: 'TenantAssetSet', data: { tenant, kind, hash, size, mime } }];
}

export function decideRemoveAsset(command: RemoveTenantAsset, assets: AssetState): AssetEvent[] {
  const kind = validAssetKind(command.data.kind);
  const current = assets[kind];
  // A repeated DELETE changes nothing and is answered like the first.
  return current ? [{ type: 'TenantAssetRemoved', data: { tenant: command.data.tenant, kind, hash: current.hash } }] : [];
}

export function evolveAssets(assets: AssetState, event: AssetEvent): AssetState {
  if (event.type === 'TenantAssetSet') {
    const { hash, size, mime } = event.data;
    return { ...assets, [event.data.kind]: { hash, size, mime } };
  }
  const { [event.data.kind]: _removed, ...rest } = assets;
  return rest;
}
