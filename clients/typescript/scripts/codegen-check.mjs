// Fails when src/gql/ is not what GraphQL Code Generator makes now from schema/schema.graphql
// and src/operations/ (like `linli export-schema --check`): run `npm run codegen` and commit.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const here = new URL('..', import.meta.url).pathname;
const generated = join(here, 'src', 'gql');
const saved = mkdtempSync(join(tmpdir(), 'linli-gql-'));
cpSync(generated, saved, { recursive: true });
let stale = [];
try {
  execFileSync('npx', ['graphql-codegen', '--config', 'codegen.ts', '--silent'], { cwd: here, stdio: 'inherit' });
  const names = new Set([...readdirSync(saved), ...readdirSync(generated)]);
  for (const name of names) {
    const read = (dir) => { try { return readFileSync(join(dir, name), 'utf8'); } catch { return null; } };
    if (read(saved) !== read(generated)) stale.push(name);
  }
} finally {
  rmSync(generated, { recursive: true, force: true });
  cpSync(saved, generated, { recursive: true });  // the check leaves the tree as it was
  rmSync(saved, { recursive: true, force: true });
}
if (stale.length) {
  console.error(`clients/typescript/src/gql is stale (${stale.join(', ')}): run \`npm run codegen\` and commit`);
  process.exit(1);
}
console.log('clients/typescript/src/gql is current');
