import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(name: string, level: string): Logger {
  // Bearer tokens are credentials: never in a log line.
  return pino({ name, level, base: { service: name }, redact: ['req.headers.authorization', 'req.headers.cookie'] });
}
