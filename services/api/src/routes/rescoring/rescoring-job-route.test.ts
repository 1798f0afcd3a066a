import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../openapi/openapi-document.js';
import { TEST_KEYS, useApiUnderTest } from '../../test-support/api-under-test.js';

const api = useApiUnderTest();

describe('GET /v1/rescoring/{jobId}', () => {
  it('answers 400 naming jobId for an id over 100 characters, a status its document declares', async () => {
    const response = await api().request({
      method: 'GET',
      url: `/v1/rescoring/${'j'.repeat(101)}`,
      key: TEST_KEYS.read,
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().errors).toEqual([{ in: 'params', path: 'jobId', message: expect.any(String) }]);
    expect(api().queries).toEqual([]);

    const document = (await buildOpenApiDocument()) as {
      paths: Record<string, { get: { responses: Record<string, unknown> } }>;
    };
    expect(Object.keys(document.paths['/v1/rescoring/{jobId}']?.get.responses ?? {})).toContain('400');
  });
});
