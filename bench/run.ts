/** `npm run bench -- <name> [options]`: runs one benchmark from bench/. */
const name = process.argv[2];
const known: Record<string, string> = { schedule: './schedule.js', crosscell: './crosscell.js' };
const module = name === undefined ? undefined : known[name];
if (module === undefined) {
  process.stderr.write(`usage: npm run bench -- <${Object.keys(known).join('|')}> [options]\n`);
  process.exit(2);
}
await import(module);
