import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/** Structured JSON logs to stdout; `LOG_LEVEL` picks the level. Tests pass `silentLogger`. */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { service: 'bbb-ledger' } });
}

export const silentLogger: Logger = pino({ level: 'silent' });
