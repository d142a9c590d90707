/** Reading one environment variable: a missing or empty value is undefined; a wrong one a ConfigError naming it. */

export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`${variable}: ${problem}`);
    this.name = new.target.name;
  }
}

/** The environment, trimmed: an empty variable reads as absent. */
export type EnvValue = (name: string) => string | undefined;

export function decimal(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || n < min || n > max) throw new ConfigError(name, `"${raw}" is not a number from ${min} to ${max}`);
  return n;
}

export function integer(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) throw new ConfigError(name, `"${raw}" is not an integer from ${min} to ${max}`);
  return n;
}

export function flag(name: string, raw: string | undefined): boolean {
  if (raw === undefined || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new ConfigError(name, `"${raw}" is neither true nor false`);
}

export function url(name: string, raw: string | undefined, protocols: string[]): string | undefined {
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, 'is not a URL');
  }
  if (!protocols.includes(parsed.protocol)) throw new ConfigError(name, `must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
  return raw;
}

export function secretNamed(name: string, raw: string | undefined): string | undefined {
  if (raw !== undefined && raw.length < 32) throw new ConfigError(name, 'must be at least 32 characters');
  return raw;
}
