import { describe, expect, it } from 'vitest';
import { useApiUnderTest } from '../../test-support/api-under-test.js';

const api = useApiUnderTest();

async function moveLead(body: Record<string, unknown>) {
  api().stageChanges.length = 0;
  const response = await api().request({ method: 'POST', url: '/v1/leads/lead-1/stage', payload: body });
  return {
    status: response.statusCode,
    body: response.json(),
    contentType: response.headers['content-type'],
  };
}

/** Expects a 400 naming exactly `errors`, with no stage change asked for. */
async function expectRefused(body: Record<string, unknown>, errors: { path: string; message: string }[]) {
  const response = await moveLead(body);
  expect(response.status, JSON.stringify(body)).toBe(400);
  expect(response.contentType).toContain('application/problem+json');
  expect(response.body, JSON.stringify(body)).toMatchObject({
    type: 'urn:leadscore:problem:validation',
    title: 'Request is invalid',
    errors: errors.map((error) => ({ in: 'body', ...error })),
  });
  expect(api().stageChanges).toEqual([]);
}

/** Expects the move asked for, with this actor recorded and this reason. */
async function expectMoved(body: Record<string, unknown>, actor: string, reason: string) {
  const response = await moveLead(body);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  expect(api().stageChanges).toEqual([{ leadId: 'lead-1', to: 'disqualified', actor, reason }]);
}

const hex = (char: string) => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

describe('POST /v1/leads/{id}/stage text', () => {
  it("refuses an actor that would forge another line or reverse the API key's suffix", async () => {
    await expectRefused(
      { action: 'disqualify', actor: 'eve (api-key:ops)\n\u202eadmin (api-key:quickstart)' },
      [{ path: 'actor', message: 'must not contain the control character U+000A' }],
    );
    await expectRefused({ action: 'disqualify', actor: 'eve \u202e)kcatsrep:yek-ipa(' }, [
      { path: 'actor', message: 'must not contain the bidirectional formatting character U+202E' },
    ]);
  });

  it('refuses every C0 and C1 control character, line separator and bidi control in the actor', async () => {
    const controls = [
      '\t',
      '\r',
      '\u0001',
      '\u0007',
      '\u001b',
      '\u001f',
      '\u007f',
      '\u0080',
      '\u0085',
      '\u009f',
    ];
    const bidi = ['\u061c', '\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e'];
    const isolates = ['\u2066', '\u2067', '\u2068', '\u2069'];
    for (const char of controls) {
      await expectRefused({ action: 'disqualify', actor: `eve${char}x` }, [
        { path: 'actor', message: `must not contain the control character ${hex(char)}` },
      ]);
    }
    for (const char of [...bidi, ...isolates]) {
      await expectRefused({ action: 'disqualify', actor: `eve${char}x` }, [
        { path: 'actor', message: `must not contain the bidirectional formatting character ${hex(char)}` },
      ]);
    }
    for (const char of ['\u2028', '\u2029']) {
      await expectRefused({ action: 'disqualify', actor: `eve${char}x` }, [
        { path: 'actor', message: `must not contain the line break ${hex(char)}` },
      ]);
    }
  });

  it('accepts names in any script, with joiners, and trims the space around them', async () => {
    for (const actor of [
      'José Ñandú',
      'محمد عبد الله',
      'יעל כהן',
      'क्‍षमा',
      '李雷 <li@example.cn>',
      '👩‍💼 kim',
    ]) {
      await expectMoved({ action: 'disqualify', actor }, `${actor} (api-key:ops)`, '');
    }
    await expectMoved({ action: 'disqualify', actor: '\n jane@sales \t\n' }, 'jane@sales (api-key:ops)', '');
  });

  it('accepts a reason over several lines, with tabs and bidi marks, as a person writes it', async () => {
    for (const reason of [
      'works for a competitor\nsee the call notes:\r\n\t- budget\n\t- timing',
      'قال: \u200fلا\u200f شكرا',
      'אמר \u200eNo thanks\u200e\u061c',
      'line\u2028separator',
    ]) {
      await expectMoved({ action: 'disqualify', reason }, 'api-key:ops', reason);
    }
  });

  it('refuses other control characters in the reason, a lone CR, and bidi embeddings, overrides and isolates', async () => {
    const cases: [string, string][] = [
      ['\u0007', 'the control character U+0007'],
      ['\u001b[2J', 'the control character U+001B'],
      ['a\rb', 'the control character U+000D'],
      ['a\n\r', 'the control character U+000D'],
      ['\u000b', 'the control character U+000B'],
      ['\u007f', 'the control character U+007F'],
      ['\u0085', 'the control character U+0085'],
      ['\u202eevil', 'the bidirectional formatting character U+202E'],
      ['\u202a', 'the bidirectional formatting character U+202A'],
      ['\u2066x\u2069', 'the bidirectional formatting character U+2066'],
    ];
    for (const [reason, character] of cases) {
      await expectRefused({ action: 'disqualify', reason }, [
        { path: 'reason', message: `must not contain ${character} (tabs and line breaks are accepted)` },
      ]);
    }
  });

  it('names each bad field', async () => {
    await expectRefused({ action: 'recycle', actor: 'eve\u202e', reason: 'x\u0008' }, [
      { path: 'actor', message: 'must not contain the bidirectional formatting character U+202E' },
      {
        path: 'reason',
        message: 'must not contain the control character U+0008 (tabs and line breaks are accepted)',
      },
    ]);
  });
});
