import defaultRulesetJson from '../../rulesets/default.v1.json' with { type: 'json' };
import { parseRulesetOrThrow } from './parse-ruleset.js';
import type { Ruleset } from './ruleset.schema.js';

/** The ruleset from the product design (rulesets/default.v1.json), validated on first import. */
export const defaultRuleset: Ruleset = parseRulesetOrThrow(defaultRulesetJson);
