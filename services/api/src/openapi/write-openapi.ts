// `pnpm openapi`: writes openapi/openapi.json from the route schemas. Commit the result; the
// drift test fails while the committed document differs from the routes.
import { writeFile } from 'node:fs/promises';
import { buildOpenApiDocument, OPENAPI_PATH, renderOpenApiDocument } from './openapi-document.js';

const target = new URL(`../../../../${OPENAPI_PATH}`, import.meta.url);
await writeFile(target, renderOpenApiDocument(await buildOpenApiDocument()));
process.stdout.write(`wrote ${OPENAPI_PATH}\n`);
