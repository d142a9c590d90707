import { spawn } from 'node:child_process';
import { RenderError } from './renderError.js';

const STDERR_TAIL_LINES = 15;

export interface ToolRun {
  stdout: string;
  stderrTail: string[];
}

/**
 * Runs ffmpeg or ffprobe to the end, or kills it (SIGKILL: a process blocked opening a FIFO or stuck in a
 * filter never reads a gentler signal) when `signal` aborts: AbortSignal.timeout(…) reads as `timeout`,
 * anything else as `aborted`. Every stdout line goes to `onStdoutLine`; with `keepStdout` the text is also
 * returned (ffprobe's JSON). stderr is kept as its last lines only, for the error.
 */
export function runTool(
  command: string,
  args: string[],
  options: { signal: AbortSignal; what: string; onStdoutLine?: (line: string) => void; keepStdout?: boolean },
): Promise<ToolRun> {
  const { signal, what } = options;
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(stopped(signal, what, []));
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    let stdout = '';
    let partialOut = '';
    let partialErr = '';
    let spawnError: NodeJS.ErrnoException | undefined;

    const kill = () => child.kill('SIGKILL');
    signal.addEventListener('abort', kill, { once: true });

    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (options.keepStdout) stdout += chunk;
      const lines = (partialOut + chunk).split('\n');
      partialOut = lines.pop() ?? '';
      for (const line of lines) options.onStdoutLine?.(line);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (partialErr + chunk).split('\n');
      partialErr = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') tail.push(line.trimEnd());
      tail.splice(0, Math.max(0, tail.length - STDERR_TAIL_LINES));
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      spawnError = error;
    });
    child.on('close', (code, killedBy) => {
      signal.removeEventListener('abort', kill);
      if (partialErr.trim() !== '') tail.push(partialErr.trimEnd());
      if (partialOut !== '') options.onStdoutLine?.(partialOut);
      const stderrTail = tail.slice(-STDERR_TAIL_LINES);
      if (signal.aborted) return reject(stopped(signal, what, stderrTail));
      if (spawnError?.code === 'ENOENT') {
        return reject(new RenderError('ffmpegMissing', `${command} was not found; install Debian's ffmpeg (apt-get install ffmpeg) or fix the path`));
      }
      if (spawnError) return reject(new RenderError('ffmpegFailed', `${what} could not start: ${spawnError.message}`));
      if (code !== 0) {
        const how = killedBy ? `was killed by ${killedBy}` : `exited with code ${code}`;
        return reject(new RenderError('ffmpegFailed', `${what} ${how}`, stderrTail));
      }
      resolve({ stdout, stderrTail });
    });
  });
}

function stopped(signal: AbortSignal, what: string, stderrTail: string[]): RenderError {
  const reason: unknown = signal.reason;
  const timedOut = reason instanceof Error && reason.name === 'TimeoutError';
  return timedOut
    ? new RenderError('timeout', `${what} ran past its time limit and was stopped; raise RENDER_TIMEOUT_MS for very long recordings`, stderrTail)
    : new RenderError('aborted', `${what} was cancelled`, stderrTail);
}
