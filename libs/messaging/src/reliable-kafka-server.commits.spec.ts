// How ReliableKafkaServer commits offsets, with kafkajs's consumer and batch payload replaced by
// fakes (pure logic: when a commit is sent and what a failed one does). The broker side — a moved
// coordinator found again, nothing lost — is covered by the fault tests (apps/faults-e2e).
import { Logger } from '@nestjs/common';
import type { Consumer as NestConsumer } from '@nestjs/microservices/external/kafka.interface';
import type { EachBatchPayload } from 'kafkajs';
import { consumerHealthCheck } from './consumer-health-check';
import { ReliableKafkaServer } from './reliable-kafka-server';
// The predicate kafkajs's runner uses to re-join instead of retrying (not exported by its typings).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { isRebalancing } = require('kafkajs/src/errors') as { isRebalancing: (error: unknown) => boolean };

const INTERVAL_MS = 1000;
const FINISHED = { topics: [{ topic: 'spec.topic', partitions: [{ partition: 0, offset: '5' }] }] };

interface FakeBatch {
  payload: EachBatchPayload;
  /** How often the batch's messages were looked at: 0 means none was handled. */
  messagesRead: () => number;
}

function fakeBatch(commit: jest.Mock, options: { running?: boolean; finished?: typeof FINISHED | { topics: [] } } = {}): FakeBatch {
  let reads = 0;
  const batch = {
    topic: 'spec.topic',
    partition: 0,
    get messages() {
      reads++;
      return [];
    },
  };
  const payload = {
    batch,
    isRunning: () => options.running ?? true,
    isStale: () => false,
    uncommittedOffsets: () => options.finished ?? FINISHED,
    commitOffsetsIfNecessary: commit,
    heartbeat: async () => undefined,
    resolveOffset: () => undefined,
  };
  return { payload: payload as unknown as EachBatchPayload, messagesRead: () => reads };
}

/** Lets the timer's commit and what follows it settle. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

describe('ReliableKafkaServer offset commits', () => {
  let eachBatch: (payload: EachBatchPayload) => Promise<void>;
  let joined: () => void;
  let crashed: (error: Error, restart: boolean) => void;
  let server: ReliableKafkaServer;

  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(async () => {
    jest.useFakeTimers();
    server = new ReliableKafkaServer({
      client: { clientId: 'spec', brokers: ['localhost:1'] },
      consumer: { groupId: 'spec-group' },
      run: { autoCommit: false, autoCommitInterval: INTERVAL_MS },
      deadLetterTopic: 'spec.dlq',
    });
    const consumer = {
      events: { GROUP_JOIN: 'consumer.group_join', CRASH: 'consumer.crash' },
      subscribe: async () => undefined,
      run: async (config: { eachBatch: typeof eachBatch }) => void (eachBatch = config.eachBatch),
      on: (event: string, listener: (event: { payload: { error: Error; restart: boolean } }) => void) => {
        if (event === 'consumer.group_join') joined = () => listener({ payload: { error: new Error(), restart: true } });
        if (event === 'consumer.crash') crashed = (error, restart) => listener({ payload: { error, restart } });
      },
    };
    await server.bindEvents(consumer as unknown as NestConsumer);
  });

  afterEach(async () => {
    await server.close();
    jest.useRealTimers();
  });

  it('commits what was finished on its timer, beside the batches, one commit at a time', async () => {
    // given: a slow commit (until the end of the test: the close after it commits too)
    let commitDone = () => undefined as void;
    let slow = true;
    const commit = jest.fn(() => (slow ? new Promise<void>((resolve) => (commitDone = resolve)) : Promise.resolve()));
    await eachBatch(fakeBatch(commit).payload);
    expect(commit).not.toHaveBeenCalled();

    // when: the interval elapses twice while the first commit is still under way
    jest.advanceTimersByTime(INTERVAL_MS);
    jest.advanceTimersByTime(INTERVAL_MS);

    // then: one commit, of the finished offsets; the next only once it is done
    expect(commit).toHaveBeenCalledTimes(1);
    expect(commit).toHaveBeenCalledWith(FINISHED);
    commitDone();
    await settle();
    jest.advanceTimersByTime(INTERVAL_MS);
    expect(commit).toHaveBeenCalledTimes(2);
    slow = false;
    commitDone();
  });

  it('sends no commit while nothing is finished', async () => {
    const commit = jest.fn(async () => undefined);
    await eachBatch(fakeBatch(commit, { finished: { topics: [] } }).payload);
    jest.advanceTimersByTime(INTERVAL_MS * 3);
    expect(commit).not.toHaveBeenCalled();
  });

  it("throws a failed commit from the next batch, before any of that batch's messages, as a reason kafkajs re-joins on", async () => {
    // given: the timer's commit fails (the group's coordinator moved)
    const failure = new Error('This is not the correct coordinator for this group');
    await eachBatch(fakeBatch(jest.fn(() => Promise.reject(failure))).payload);
    jest.advanceTimersByTime(INTERVAL_MS);
    await settle();

    // when / then: the next batch throws it without handling a message
    const next = fakeBatch(jest.fn(async () => undefined));
    const thrown = await eachBatch(next.payload).catch((error: unknown) => error);
    // kafkajs's runner re-joins (and so looks the coordinator up again) on these types only
    expect(thrown).toMatchObject({ type: 'NOT_COORDINATOR_FOR_GROUP', failure, message: `offset commit failed, re-joining the group: ${failure.message}` });
    expect(isRebalancing(thrown)).toBe(true);
    expect(next.messagesRead()).toBe(0);

    // and it is thrown once: the batch after goes through
    const after = fakeBatch(jest.fn(async () => undefined));
    await expect(eachBatch(after.payload)).resolves.toBeUndefined();
    expect(after.messagesRead()).toBeGreaterThan(0);
  });

  it('throws a failure kafkajs already re-joins on as it is (an unknown member re-joins as a new one)', async () => {
    const failure = Object.assign(new Error('The coordinator is not aware of this member'), { type: 'UNKNOWN_MEMBER_ID' });
    await eachBatch(fakeBatch(jest.fn(() => Promise.reject(failure))).payload);
    jest.advanceTimersByTime(INTERVAL_MS);
    await settle();

    await expect(eachBatch(fakeBatch(jest.fn(async () => undefined)).payload)).rejects.toBe(failure);
  });

  it('drops a failure from before a group join: the new generation has its own coordinator', async () => {
    await eachBatch(fakeBatch(jest.fn(() => Promise.reject(new Error('rebalance in progress')))).payload);
    jest.advanceTimersByTime(INTERVAL_MS);
    await settle();

    joined();

    await expect(eachBatch(fakeBatch(jest.fn(async () => undefined)).payload)).resolves.toBeUndefined();
  });

  it('is not ready once kafkajs crashed it for good, and ready again after a join or a close', async () => {
    const readiness = consumerHealthCheck();
    crashed(new Error('Connection error'), true); // restarted by kafkajs
    await expect(readiness.check()).resolves.toBeUndefined();

    crashed(new Error('The request included a message larger than the max message size the server will accept'), false);
    await expect(readiness.check()).rejects.toThrow(
      'the consumer of group spec-group-server stopped for good (The request included a message larger than the max message size the server will accept); nothing after it was committed; restart the service',
    );

    joined();
    await expect(readiness.check()).resolves.toBeUndefined();
    crashed(new Error('refused'), false);
    await server.close();
    await expect(readiness.check()).resolves.toBeUndefined();
  });

  it('commits what was finished when it closes between batches, before its interval', async () => {
    const commit = jest.fn(async () => undefined);
    await eachBatch(fakeBatch(commit).payload);
    expect(commit).not.toHaveBeenCalled();

    await server.close();

    expect(commit).toHaveBeenCalledWith(FINISHED);
  });

  it('commits at once when the consumer stops, and a failure then does not fail the stop', async () => {
    const commit = jest.fn(() => Promise.reject(new Error('coordinator not available')));
    await expect(eachBatch(fakeBatch(commit, { running: false }).payload)).resolves.toBeUndefined();
    expect(commit).toHaveBeenCalledWith(FINISHED);
  });
});
