// A real `linli serve` for the SDK's tests: a fresh SQLite database with the demo data, on a
// free loopback port, started by the test and stopped after it. The Python that runs it is
// LINLI_PYTHON, else the repository's .venv (./dev test creates it).
import { spawn, execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(new URL('../../..', import.meta.url).pathname);
export const SECRET = 'linli-sdk-test-secret-key-not-for-production-0123456789';

export function python() {
  const candidates = [process.env.LINLI_PYTHON, join(ROOT, '.venv', 'bin', 'python')];
  const found = candidates.find((path) => path && existsSync(path));
  if (!found) throw new Error('no Python with linli installed: run ./dev test once, or set LINLI_PYTHON');
  return found;
}

function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

/** Start a server with demo data; `env` adds settings (trusted documents, say). */
export async function startServer(env = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'linli-sdk-'));
  const environment = {
    ...process.env,
    LINLI_DATABASE_URL: `sqlite://${join(dir, 'linli.sqlite3')}`,
    LINLI_SECRET_KEY: SECRET,
    LINLI_PERIODIC_TASKS: 'false',
    LINLI_REDIS_URL: '',
    ...env,
  };
  delete environment.LINLI_REDIS_URL;
  execFileSync(python(), ['-m', 'linli.core.cli', 'seed-demo'], { env: environment, stdio: 'ignore' });
  const port = await freePort();
  const child = spawn(python(), ['-m', 'linli.core.cli', 'serve', '--no-migrate', '--host', '127.0.0.1', '--port', String(port)], {
    env: environment,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (chunk) => (log += chunk));
  child.stderr.on('data', (chunk) => (log += chunk));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited:\n${log}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server not ready:\n${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    graphql: `${url}/graphql`,
    log: () => log,
    /** The last one-time code the console sender printed (development sender, stderr). */
    lastCode: () => [...log.matchAll(/login code for \S+: (\d{6})/g)].pop()?.[1],
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The same access token with its `exp` in the past (signed with the test server's key). */
export function expired(accessToken) {
  const [head, body] = accessToken.split('.');
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
  claims.exp = Math.floor(Date.now() / 1000) - 60;
  claims.iat = claims.exp - 900;
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signature = createHmac('sha256', SECRET).update(`${head}.${payload}`).digest('base64url');
  return `${head}.${payload}.${signature}`;
}
