// The GraphQL-over-HTTP audit (graphql-http's auditServer) against a running server.
// Usage: node scripts/audit.mjs http://127.0.0.1:PORT/graphql
// Prints one JSON line per audit ({id, name, status, reason}) and exits 0; the caller
// (tests/e2e/test_graphql_http_audit.py) decides what must pass.
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node scripts/audit.mjs <graphql url>');
  process.exit(2);
}
const results = await auditServer({ url });
for (const result of results) {
  let reason = result.reason ?? null;
  let body = null;
  if (result.status !== 'ok' && result.response) {
    body = await result.response.text().catch(() => null);
  }
  console.log(JSON.stringify({ id: result.id, name: result.name, status: result.status, reason, body }));
}
