import { describe, expect, it } from 'vitest';
import { fromCloudEventHeaders, InvalidCloudEventHeadersError, toCloudEventHeaders } from './cloudevents.js';
import { InvalidTopicPrefixError, topics } from './topics.js';

describe('CloudEvents binary-mode headers', () => {
  it('round-trips the attributes through Kafka headers', () => {
    const headers = toCloudEventHeaders({
      id: 'evt_1',
      type: 'io.leadscore.email.opened',
      source: '/leadscore/relay',
      subject: 'L1',
      time: '2024-05-01T10:00:00.000Z',
    });
    expect(headers).toEqual({
      ce_specversion: '1.0',
      ce_id: 'evt_1',
      ce_type: 'io.leadscore.email.opened',
      ce_source: '/leadscore/relay',
      ce_subject: 'L1',
      ce_time: '2024-05-01T10:00:00.000Z',
      'content-type': 'application/json',
    });
    expect(fromCloudEventHeaders(headers)).toMatchObject({
      id: 'evt_1',
      subject: 'L1',
      dataContentType: 'application/json',
    });
  });

  it('names the missing header', () => {
    const call = () => fromCloudEventHeaders({ ce_specversion: '1.0', ce_type: 't', ce_source: 's' });
    expect(call).toThrow(InvalidCloudEventHeadersError);
    expect(call).toThrow(/ce_id/);
    expect(() => fromCloudEventHeaders({})).toThrow(/ce_specversion/);
  });
});

describe('topics', () => {
  it('prefixes every topic', () => {
    const names = Object.values(topics('t1.'));
    expect(names).toHaveLength(6);
    for (const name of names) expect(name).toMatch(/^t1\.leadscore\.[a-z.-]+\.v1$/);
    expect(topics().activity).toBe('leadscore.activity.v1');
    expect(topics().activityDlq).toBe('leadscore.activity.dlq.v1');
  });

  it('refuses a prefix Kafka would refuse', () => {
    expect(() => topics('a/b')).toThrow(InvalidTopicPrefixError);
  });
});
