/**
 * `pnpm demo`: posts the seed journey of the product brief (a VP of Marketing who opens, clicks,
 * reads the blog, visits pricing twice, asks for a demo, attends a webinar and replies) to a
 * running leadscore, then prints the lead's score, its explanation and its stage history.
 *
 * Defaults match `npm start` (the quickstart): webhook http://127.0.0.1:3001, API
 * http://127.0.0.1:3000, key from .leadscore/api-key. Override with LEADSCORE_WEBHOOK_URL,
 * LEADSCORE_API_URL, LEADSCORE_API_KEY (or LEADSCORE_HOME / LEADSCORE_PORT_BASE, as the
 * quickstart reads them), and DEMO_EMAIL for the lead's address.
 */
import { localQuickstart, readQuickstartKey } from '../packages/cli/src/local-quickstart.js';
import { leadKeyOf } from '../packages/contracts/src/index.js';
import { SEED_JOURNEY_SPAN_MS, seedJourney } from './demo/journeys.js';
import { printExplanation, printStages } from './demo/print.js';

class DemoError extends Error {}

function settings() {
  const local = localQuickstart(process.env);
  const key = process.env.LEADSCORE_API_KEY ?? readQuickstartKey(local.keyFile);
  if (key === undefined) {
    throw new DemoError(
      `no API key: set LEADSCORE_API_KEY, or start the quickstart (it writes ${local.keyFile})`,
    );
  }
  return {
    webhookUrl: process.env.LEADSCORE_WEBHOOK_URL ?? local.webhookUrl,
    apiUrl: process.env.LEADSCORE_API_URL ?? local.apiUrl,
    key,
    email: process.env.DEMO_EMAIL ?? `pat.morgan.${Date.now().toString(36)}@acme-software.com`,
  };
}

async function call(url: string, key: string, body?: unknown): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (error) {
    throw new DemoError(
      `cannot reach ${url} (${(error as Error).message}): is leadscore running (npm start)?`,
    );
  }
  const text = await response.text();
  if (!response.ok) throw new DemoError(`${url} answered ${response.status}: ${text}`);
  return JSON.parse(text);
}

const line = (text = '') => process.stdout.write(`${text}\n`);

async function main(): Promise<void> {
  const { webhookUrl, apiUrl, key, email } = settings();
  // The journey ends minutes ago, so "now" shows it fresh.
  const events = seedJourney(email, Date.now() - SEED_JOURNEY_SPAN_MS - 5 * 60_000);
  const leadId = leadKeyOf({ email: email.toLowerCase() });
  await call(`${webhookUrl}/v1/events`, key, { events });
  line(`Posted the seed journey (${events.length} events) for ${email} to ${webhookUrl}`);
  line(`Lead id: ${leadId}`);

  // The pipeline is asynchronous (Kafka, the store, scoring, the projector): wait for the last step.
  const deadline = Date.now() + Number(process.env.DEMO_TIMEOUT_MS ?? 30_000);
  // biome-ignore lint/suspicious/noExplicitAny: printed field by field
  let stages: any;
  for (;;) {
    stages = await call(`${apiUrl}/v1/leads/${leadId}/stages`, key).catch(() => undefined);
    if (stages?.current.stage === 'prospect' || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  // biome-ignore lint/suspicious/noExplicitAny: printed field by field
  const score: any = await call(`${apiUrl}/v1/leads/${leadId}/score?explain=true`, key);
  line();
  printExplanation(line, score);
  line();
  if (stages === undefined)
    line('The lead has no stage yet: the pipeline did not finish within the timeout.');
  else printStages(line, stages);
  line();
  line(`More: ${apiUrl}/docs  (GET /v1/leads/${leadId}, /events, /score?at=...)`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `demo: ${error instanceof DemoError ? error.message : String((error as Error).stack)}\n`,
  );
  process.exit(1);
});
