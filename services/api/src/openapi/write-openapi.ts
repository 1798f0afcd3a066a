// `pnpm openapi`: writes openapi/openapi.json from the route schemas and openapi/asyncapi.yaml
// from the contracts' message schemas. Commit both; drift tests fail while they differ.
import { writeFile } from 'node:fs/promises';
import { ASYNCAPI_PATH, buildAsyncApiDocument } from '../asyncapi/asyncapi-document.js';
import { renderAsyncApiDocument } from '../asyncapi/render-asyncapi.js';
import { buildOpenApiDocument, OPENAPI_PATH, renderOpenApiDocument } from './openapi-document.js';

const repositoryFile = (path: string) => new URL(`../../../../${path}`, import.meta.url);

await writeFile(repositoryFile(OPENAPI_PATH), renderOpenApiDocument(await buildOpenApiDocument()));
await writeFile(repositoryFile(ASYNCAPI_PATH), renderAsyncApiDocument(buildAsyncApiDocument()));
process.stdout.write(`wrote ${OPENAPI_PATH} and ${ASYNCAPI_PATH}\n`);
