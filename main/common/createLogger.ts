import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from './Logger';

/**
 * One logger per process. Messages never include patient data or file paths by default: callers log ids and codes.
 * Unexpected errors are written with their stack so bugs can be found.
 */
export function createLogger(logFolder?: string, echo: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  const file = logFolder ? join(logFolder, 'genseg-workstation.log') : undefined;
  if (logFolder) mkdirSync(logFolder, { recursive: true });
  const write = (level: string, message: string, error?: unknown) => {
    const detail = error instanceof Error ? `\n${error.stack ?? error.message}` : error ? `\n${String(error)}` : '';
    const line = `${new Date().toISOString()} ${level} ${message}${detail}\n`;
    if (file) appendFileSync(file, line);
    if (level === 'ERROR' || process.env.GENSEG_LOG_ECHO) echo(line);
  };
  return {
    info: (message) => write('INFO', message),
    error: (message, error) => write('ERROR', message, error)
  };
}
