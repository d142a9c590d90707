import { pino, type DestinationStream, type Logger } from 'pino';
import { PinoPretty } from 'pino-pretty';

export type { Logger } from 'pino';

/**
 * Structured logs on stdout; `LOG_LEVEL` picks the level. JSON lines in production (stdout is a pipe or a
 * file: journald, docker, a collector); readable coloured lines when a person watches a terminal. Tests pass
 * `silentLogger`.
 */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', destination: DestinationStream | undefined = process.stdout.isTTY ? prettyStdout() : undefined): Logger {
  const options = { level, base: { service: 'bbb-ledger' } };
  return destination ? pino(options, destination) : pino(options);
}

/** In this thread and synchronous, so the last lines before an exit are not lost in a worker. */
function prettyStdout(): DestinationStream {
  return PinoPretty({ colorize: true, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' });
}

export const silentLogger: Logger = pino({ level: 'silent' });
