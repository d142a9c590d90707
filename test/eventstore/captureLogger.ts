import { pino, type Logger } from 'pino';

export interface LogLine {
  level: number;
  msg: string;
  err?: { message?: string; code?: string };
  [key: string]: unknown;
}

export const WARN = 40;
export const ERROR = 50;

/** A real pino logger whose lines the test can inspect and wait for. */
export function captureLogger(): { logger: Logger; lines: LogLine[]; waitFor(match: (l: LogLine) => boolean, timeoutMs?: number): Promise<LogLine> } {
  const lines: LogLine[] = [];
  const waiters = new Set<() => void>();
  const logger = pino(
    { level: 'debug' },
    {
      write(text: string) {
        lines.push(JSON.parse(text) as LogLine);
        for (const wake of waiters) wake();
      },
    },
  );
  const waitFor = (match: (l: LogLine) => boolean, timeoutMs = 10_000) =>
    new Promise<LogLine>((resolve, reject) => {
      const check = () => {
        const found = lines.find(match);
        if (!found) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(found);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no matching log line within ${timeoutMs} ms; got: ${lines.map((l) => l.msg).join(' | ')}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  return { logger, lines, waitFor };
}
