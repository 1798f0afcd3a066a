import { describe, expect, it } from 'vitest';
import { renderProgress } from './progress-bar.js';

describe('renderProgress', () => {
  it('draws the share done, the leads and the ETA in seconds', () => {
    const line = renderProgress(
      {
        status: 'running',
        progress: 0.25,
        leads: { processed: 250, total: 1000 },
        etaAt: '2026-01-01T00:00:30.000Z',
      },
      Date.parse('2026-01-01T00:00:00Z'),
      8,
    );
    expect(line).toBe('[##------]  25.0% 250/1000 leads running eta 30s');
  });

  it('is full without an ETA once completed', () => {
    const line = renderProgress(
      { status: 'completed', progress: 1, leads: { processed: 3, total: 3 }, etaAt: null },
      0,
      4,
    );
    expect(line).toBe('[####] 100.0% 3/3 leads completed');
  });
});
