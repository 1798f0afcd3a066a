#!/usr/bin/env node
// The workspace runs TypeScript sources: tsx loads them, then the CLI runs.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2), process.env);
