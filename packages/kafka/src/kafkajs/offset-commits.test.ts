import type { Offsets } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { offsetCommitter } from './offset-commits.js';

/** A consumer's commit function that records each OffsetCommit request it would send. */
function recordingCommit(failWhen: (offsets: Offsets) => boolean = () => false) {
  const requests: Offsets[] = [];
  const commit = async (offsets: Offsets) => {
    requests.push(offsets);
    if (failWhen(offsets)) throw new Error('rebalance in progress');
  };
  return { requests, commit };
}

describe('offsetCommitter', () => {
  it('sends the commits of one turn as one request, grouped by topic, and later ones apart', async () => {
    const { requests, commit } = recordingCommit();
    const committer = offsetCommitter();
    await Promise.all([
      committer({ topic: 'a', partition: 0, offset: '11', commit }),
      committer({ topic: 'b', partition: 3, offset: '7', commit }),
      committer({ topic: 'a', partition: 2, offset: '40', commit }),
    ]);
    await committer({ topic: 'a', partition: 0, offset: '12', commit });
    expect(requests).toEqual([
      {
        topics: [
          {
            topic: 'a',
            partitions: [
              { partition: 0, offset: '11' },
              { partition: 2, offset: '40' },
            ],
          },
          { topic: 'b', partitions: [{ partition: 3, offset: '7' }] },
        ],
      },
      { topics: [{ topic: 'a', partitions: [{ partition: 0, offset: '12' }] }] },
    ]);
  });

  it('retries a failed merged commit partition by partition, so each batch gets its own outcome', async () => {
    const onlyPartitionOne = (offsets: Offsets) =>
      offsets.topics.some(({ partitions }) => partitions.some(({ partition }) => partition === 1));
    const { requests, commit } = recordingCommit(onlyPartitionOne);
    const committer = offsetCommitter();
    const outcomes = await Promise.allSettled([
      committer({ topic: 'a', partition: 0, offset: '5', commit }),
      committer({ topic: 'a', partition: 1, offset: '9', commit }),
    ]);
    expect(outcomes.map(({ status }) => status)).toEqual(['fulfilled', 'rejected']);
    expect(requests).toHaveLength(3);
    expect(requests.slice(1)).toEqual([
      { topics: [{ topic: 'a', partitions: [{ partition: 0, offset: '5' }] }] },
      { topics: [{ topic: 'a', partitions: [{ partition: 1, offset: '9' }] }] },
    ]);
  });
});
