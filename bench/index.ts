/**
 * `npm run bench -- NAME [args]`: runs bench/NAME.ts, whose default export is the benchmark. Benchmarks print their
 * results and write JSON under bench/results/ (git-ignored).
 */
export {}; // a module, for top-level await

const [name, ...args] = process.argv.slice(2);
if (!name || !/^[A-Za-z0-9_-]+$/.test(name)) {
  console.error('usage: npm run bench -- <name> [args]   (a file bench/<name>.ts)');
  process.exit(2);
}
const benchmark = (await import(`./${name}.ts`)) as { default: (args: string[]) => Promise<void> };
await benchmark.default(args);
