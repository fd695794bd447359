// Scenario (g), one fresh process: import a client, make one GET, print timings as JSON.
// Plain JavaScript so that plain `node` runs it: the built sess is timed as users load it.
// argv: <sess|undici> <module specifier or file URL> <url> <headers as JSON>
const [kind, specifier, url, headersJson] = process.argv.slice(2);
// performance.now() counts from the process's start: this is Node's own boot (and any --import loader).
const boot = performance.now();
const mod = await import(specifier);
const imported = performance.now();
if (kind === 'sess') {
  const s = new mod.Session();
  const r = await s.get(url);
  r.json();
} else {
  const r = await mod.request(url, { headers: JSON.parse(headersJson) });
  await r.body.json();
}
const done = performance.now();
process.stdout.write(
  JSON.stringify({ boot, importMs: imported - boot, requestMs: done - imported, totalMs: done }),
);
// Neither client is closed: both would keep the process alive for their idle connection.
process.exit(0);
