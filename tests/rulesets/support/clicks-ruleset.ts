import { defaultRuleset, type Ruleset } from '../../../packages/scoring/src/index.js';

/**
 * The default ruleset as a draft's document, with email.clicked worth `factor` times its points:
 * publishing it changes the score of every lead that clicked.
 */
export function clicksTimes(factor: number): Omit<Ruleset, 'version'> {
  const { version: _version, ...document } = structuredClone(defaultRuleset);
  document.engagement = document.engagement.map((rule) =>
    rule.id === 'email-clicked' ? { ...rule, points: rule.points * factor } : rule,
  );
  return document;
}
