import { DomainError } from '../../domain/errors.js';
import type { TenantCommand } from '../../domain/tenant/commands.js';
import type { TenantEvent } from '../../domain/tenant/events.js';
import { RESERVATION_GRACE_MS, SecretHeldError, secretHashOf, secretReservationDecider, secretStreamId } from '../../domain/tenant/secretReservation.js';
import type { TenantState } from '../../domain/tenant/state.js';
import { validTenantSecret } from '../../domain/tenant/validation.js';
import type { EventStore } from '../../eventstore/port.js';
import { handleCommand, type CommandContext, type CommandResult } from './handleCommand.js';
import { handleTenantCommand, loadTenant } from './tenantCommands.js';

/**
 * A tenant command that gives a tenant secrets (RegisterTenant, AddTenantSecret) first reserves each in its
 * own stream (src/domain/tenant/secretReservation.ts), so across instances a secret goes to one tenant:
 * SecretHeldError otherwise. Reservations it made are released again when the tenant command fails; a
 * revoke releases the secret's. Any other command goes straight to the tenant's stream.
 */
export async function handleTenantCommandHoldingSecrets(store: EventStore, command: TenantCommand, context: CommandContext): Promise<CommandResult<TenantEvent, TenantState>> {
  const { tenant } = command.data;
  if (command.type === 'RegisterTenant' || command.type === 'AddTenantSecret') {
    const secrets = [...new Set(command.type === 'RegisterTenant' ? command.data.secrets : [command.data.secret])].map(validTenantSecret);
    const reserved: string[] = [];
    try {
      for (const secret of secrets) if (await reserveSecret(store, tenant, secret, context)) reserved.push(secret);
      return await handleTenantCommand(store, command, context);
    } catch (error) {
      // Refused: released. Any other failure may have stored the tenant event after all (a timeout), so the
      // reservation stays; if the tenant lacks the secret, another tenant takes it over after the grace.
      if (error instanceof DomainError) await Promise.allSettled(reserved.map((secret) => releaseSecret(store, tenant, secret, context)));
      throw error;
    }
  }
  if (command.type === 'RevokeTenantSecret') {
    const before = await loadTenant(store, tenant);
    const result = await handleTenantCommand(store, command, context);
    const secret = before.status === 'registered' ? before.secrets.find((s) => s.secretId === command.data.secretId)?.secret : undefined;
    // The revoke is stored whatever happens next; a release that fails leaves a reservation taken over later.
    if (secret !== undefined && result.events.length > 0) await releaseSecret(store, tenant, secret, context).catch(() => undefined);
    return result;
  }
  return handleTenantCommand(store, command, context);
}

/** True when this call reserved it (false: the tenant held it already). */
async function reserveSecret(store: EventStore, tenant: string, secret: string, context: CommandContext): Promise<boolean> {
  const streamId = secretStreamId(secret);
  const secretHash = secretHashOf(secret);
  const reserve = async (staleHolder?: string) => {
    const command = { type: 'ReserveSecret' as const, data: { secretHash, tenant, ...(staleHolder !== undefined ? { staleHolder } : {}) } };
    const result = await handleCommand(store, secretReservationDecider, streamId, command, { ...context, commandId: `${context.commandId}:${streamId}` });
    return result.events.length > 0;
  };
  try {
    return await reserve();
  } catch (error) {
    if (!(error instanceof SecretHeldError)) throw error;
    // Its holder's add never landed (a process died between the two appends) or it was revoked without a release.
    if (context.now.getTime() - Date.parse(error.reservedAt) < RESERVATION_GRACE_MS) throw error;
    const holder = await loadTenant(store, error.holder);
    if (holder.status === 'registered' && holder.secrets.some((s) => s.secret === secret)) throw error;
    return reserve(error.holder);
  }
}

async function releaseSecret(store: EventStore, tenant: string, secret: string, context: CommandContext): Promise<void> {
  const streamId = secretStreamId(secret);
  const command = { type: 'ReleaseSecret' as const, data: { secretHash: secretHashOf(secret), tenant } };
  await handleCommand(store, secretReservationDecider, streamId, command, { ...context, commandId: `${context.commandId}:release:${streamId}` });
}
