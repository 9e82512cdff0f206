/** `--key value` / `--flag` command-line options for the benches. */
export function parseOptions(args: string[]): Map<string, string> {
  const options = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) continue;
    const next = args[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      options.set(arg.slice(2), next);
      i++;
    } else {
      options.set(arg.slice(2), 'true');
    }
  }
  return options;
}

export function readNumber(options: Map<string, string>, key: string, fallback: number): number {
  const value = options.get(key);
  return value === undefined ? fallback : Number(value);
}

export function readList(options: Map<string, string>, key: string, fallback: string[]): string[] {
  const value = options.get(key);
  return value === undefined ? fallback : value.split(',').filter(Boolean);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
