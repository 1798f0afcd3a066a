import { stringify } from 'yaml';
import type { AsyncApiDocument } from './asyncapi-document.js';

/** The document as committed: YAML, references kept as written, long lines not folded. */
export function renderAsyncApiDocument(document: AsyncApiDocument): string {
  return stringify(document, { aliasDuplicateObjects: false, lineWidth: 0 });
}
