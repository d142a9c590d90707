import t from 'tap';
import { NotFoundError, ValidationError } from '../../../src/domain/errors.js';
import type { TenantCommand } from '../../../src/domain/tenant/commands.js';
import { decide } from '../../../src/domain/tenant/decide.js';
import type { TenantEvent } from '../../../src/domain/tenant/events.js';
import { evolve, initialState, type TenantState } from '../../../src/domain/tenant/state.js';
import { deciderSpec } from '../../support/deciderSpec.js';

const spec = deciderSpec<TenantCommand, TenantEvent, TenantState>({ decide, evolve, initialState });

const registered: TenantEvent = { type: 'TenantRegistered', data: { tenant: 'acme' } };
const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);
const setAsset = (kind: string, hash: string, size: number, mime: string): TenantCommand => ({ type: 'SetTenantAsset', data: { tenant: 'acme', kind, hash, size, mime } });
const assetSet = (kind: 'logo' | 'slide' | 'css', hash: string, size: number, mime: string): TenantEvent => ({ type: 'TenantAssetSet', data: { tenant: 'acme', kind, hash, size, mime } });
const remove = (kind: string): TenantCommand => ({ type: 'RemoveTenantAsset', data: { tenant: 'acme', kind } });

t.test('SetTenantAsset', async (t) => {
  t.test('given a registered tenant / when a PNG logo is set / should record kind, hash, size and type', async () => {
    spec.given([registered]).when(setAsset('logo', HASH_A, 2000, 'image/png')).then([assetSet('logo', HASH_A, 2000, 'image/png')]);
  });
  t.test('given the same logo / when it is set again / should record nothing', async () => {
    spec.given([registered, assetSet('logo', HASH_A, 2000, 'image/png')]).when(setAsset('logo', HASH_A, 2000, 'image/png')).thenNothingHappens();
  });
  t.test('given a logo / when another is set / should replace it', async () => {
    spec.given([registered, assetSet('logo', HASH_A, 2000, 'image/png')]).when(setAsset('logo', HASH_B, 10, 'image/svg+xml')).then([assetSet('logo', HASH_B, 10, 'image/svg+xml')]);
  });
  t.test('when each kind gets a type it accepts / should record it', async () => {
    for (const [kind, mime] of [['slide', 'application/pdf'], ['slide', 'application/vnd.oasis.opendocument.presentation'], ['slide', 'application/vnd.openxmlformats-officedocument.presentationml.presentation'], ['slide', 'image/png'], ['css', 'text/css'], ['logo', 'image/jpeg']] as const) {
      spec.given([registered]).when(setAsset(kind, HASH_A, 5, mime)).then([assetSet(kind, HASH_A, 5, mime)]);
    }
  });
  t.test('when the content is a type the kind does not accept / should refuse naming it', async () => {
    spec.given([registered]).when(setAsset('logo', HASH_A, 5, 'application/pdf')).thenThrows(ValidationError, /logo's content is application\/pdf; send a PNG, JPEG or SVG/);
    spec.given([registered]).when(setAsset('css', HASH_A, 5, 'image/png')).thenThrows(ValidationError, /CSS stylesheet/);
    spec.given([registered]).when(setAsset('slide', HASH_A, 5, 'image/jpeg')).thenThrows(ValidationError, /PDF, PPTX, ODP or PNG/);
  });
  t.test('when the asset is larger than its kind allows / should refuse with the numbers', async () => {
    spec.given([registered]).when(setAsset('logo', HASH_A, 1024 * 1024 + 1, 'image/png')).thenThrows(ValidationError, /1048577 bytes, more than 1048576/);
    spec.given([registered]).when(setAsset('css', HASH_A, 100 * 1024 + 1, 'text/css')).thenThrows(ValidationError, /more than 102400/);
    spec.given([registered]).when(setAsset('slide', HASH_A, 20 * 1024 * 1024 + 1, 'application/pdf')).thenThrows(ValidationError, /more than 20971520/);
    spec.given([registered]).when(setAsset('slide', HASH_A, 20 * 1024 * 1024, 'application/pdf')).then([assetSet('slide', HASH_A, 20 * 1024 * 1024, 'application/pdf')]);
  });
  t.test('when the asset is empty or the hash is not a sha256 / should refuse', async () => {
    spec.given([registered]).when(setAsset('logo', HASH_A, 0, 'image/png')).thenThrows(ValidationError, /empty/);
    spec.given([registered]).when(setAsset('logo', 'A'.repeat(64), 5, 'image/png')).thenThrows(ValidationError, /sha256/);
  });
  t.test('when the kind is unknown / should refuse naming the kinds', async () => {
    spec.given([registered]).when(setAsset('favicon', HASH_A, 5, 'image/png')).thenThrows(NotFoundError, /logo, slide or css/);
  });
  t.test('given an unknown tenant / should refuse', async () => {
    spec.given([]).when(setAsset('logo', HASH_A, 5, 'image/png')).thenThrows(NotFoundError, /not registered/);
  });
});

t.test('RemoveTenantAsset', async (t) => {
  t.test('given a stylesheet / when it is removed / should record which one', async () => {
    spec.given([registered, assetSet('css', HASH_A, 5, 'text/css')]).when(remove('css')).then([{ type: 'TenantAssetRemoved', data: { tenant: 'acme', kind: 'css', hash: HASH_A } }]);
  });
  t.test('given no slide / when it is removed / should record nothing (a repeated DELETE)', async () => {
    spec.given([registered, assetSet('css', HASH_A, 5, 'text/css')]).when(remove('slide')).thenNothingHappens();
  });
  t.test('given a removed logo / when it is set again / should record it again', async () => {
    spec.given([registered, assetSet('logo', HASH_A, 5, 'image/png'), { type: 'TenantAssetRemoved', data: { tenant: 'acme', kind: 'logo', hash: HASH_A } }])
      .when(setAsset('logo', HASH_A, 5, 'image/png'))
      .then([assetSet('logo', HASH_A, 5, 'image/png')]);
  });
  t.test('when the kind is unknown or the tenant is / should refuse', async () => {
    spec.given([registered]).when(remove('banner')).thenThrows(NotFoundError);
    spec.given([]).when(remove('logo')).thenThrows(NotFoundError);
  });
});
