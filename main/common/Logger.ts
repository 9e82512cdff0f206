/** What a domain needs of the process's logger: ids and codes in, never patient data or paths by default. */
export interface Logger {
  error(message: string, error?: unknown): void;
  info(message: string): void;
}
