import pino, { type Logger } from 'pino';

export type { Logger };

/** A process's logger: JSON lines on standard output, or appended to `file` (LOG_FILE). */
export function createLogger(name: string, level: string, file?: string): Logger {
  // Bearer tokens are credentials: never in a log line.
  const options = { name, level, base: { service: name }, redact: ['req.headers.authorization', 'req.headers.cookie'] };
  // Synchronous, so the lines before a crash (or a failed test) are in the file.
  return file ? pino(options, pino.destination({ dest: file, append: true, mkdir: true, sync: true })) : pino(options);
}
