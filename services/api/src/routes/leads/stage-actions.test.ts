import { describe, expect, it } from 'vitest';
import { stageActionsDescription } from './stage-actions.js';

describe('stageActionsDescription', () => {
  it('documents, for each action, the stages it moves a lead from and those where it changes nothing', () => {
    const lines = stageActionsDescription().split('\n');
    expect(lines).toContain(
      '- `accept` (sales accepted the lead): to sql, from lead, mql, recycled or disqualified; ' +
        'on a lead at sql or prospect it changes nothing.',
    );
    expect(lines.find((line) => line.startsWith('- `recycle`'))).toMatch(
      /^- `recycle` \(back to nurture\): to recycled, from mql, sql, prospect or disqualified; on a lead at lead or recycled it changes nothing\. A recycled lead goes back to mql only when its score crosses the MQL threshold upwards/,
    );
    expect(lines.find((line) => line.startsWith('- `disqualify`'))).toContain(
      'to disqualified, from lead, mql, sql, prospect or recycled; on a lead at disqualified it changes nothing.',
    );
  });
});
