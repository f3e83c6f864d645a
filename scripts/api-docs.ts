// `npm run docs:api`: writes docs/openapi.json and docs/asyncapi.json from the zod schemas (§8.7).
// Run it after changing a schema, an event or a route; a test fails until the files match.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { apiDocuments, documentText } from '../server/http/api-descriptions.js';

for (const [path, generate] of Object.entries(apiDocuments)) {
  writeFileSync(fileURLToPath(new URL(`../${path}`, import.meta.url)), documentText(generate()));
  console.log(`wrote ${path}`);
}
