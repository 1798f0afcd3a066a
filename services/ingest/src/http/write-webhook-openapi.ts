// Part of `pnpm openapi`: writes openapi/webhook.json from the webhook's schemas. Commit it; a
// drift test fails while it differs.
import { writeFile } from 'node:fs/promises';
import {
  buildWebhookOpenApiDocument,
  renderWebhookOpenApiDocument,
  WEBHOOK_OPENAPI_PATH,
} from './webhook-openapi.js';

const repositoryFile = (path: string) => new URL(`../../../../${path}`, import.meta.url);

await writeFile(
  repositoryFile(WEBHOOK_OPENAPI_PATH),
  renderWebhookOpenApiDocument(buildWebhookOpenApiDocument()),
);
process.stdout.write(`wrote ${WEBHOOK_OPENAPI_PATH}\n`);
