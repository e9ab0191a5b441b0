import { GetBucketAclCommand, GetBucketLocationCommand, GetBucketPolicyCommand, GetBucketVersioningCommand, GetObjectCommand, ListObjectsV2Command, S3ServiceException } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Server, testS3Client, type TestS3Server } from './index.js';

/** The test server must behave like S3 for the official SDK, and record what a client sent it. */
describe('startS3Server', () => {
  let s3: TestS3Server;
  beforeAll(async () => {
    s3 = await startS3Server();
    await s3.createBucket('lake-eu', { location: 'eu-west-1', policy: { Version: '2012-10-17', Statement: [] } });
    await s3.createBucket('lake-us');
    await s3.putObject('lake-eu', 'a/one.txt', 'hello world');
  });
  afterAll(() => s3?.close());

  const errorName = async (p: Promise<unknown>): Promise<string> => {
    try {
      await p;
      return 'no error';
    } catch (err) {
      return err instanceof S3ServiceException ? `${err.name} ${err.$metadata.httpStatusCode}` : String(err);
    }
  };

  it('serves the SDK through the proxy and records method, path, query and Range', async () => {
    const client = testS3Client(s3.endpoint);
    try {
      const before = s3.requests.length;
      const list = await client.send(new ListObjectsV2Command({ Bucket: 'lake-eu' }));
      expect(list.Contents?.map((o) => o.Key)).toEqual(['a/one.txt']);
      const got = await client.send(new GetObjectCommand({ Bucket: 'lake-eu', Key: 'a/one.txt', Range: 'bytes=0-4' }));
      expect(await got.Body!.transformToString()).toBe('hello');
      const seen = s3.requests.slice(before);
      expect(seen.map((r) => [r.method, r.path])).toEqual([['GET', '/lake-eu/'], ['GET', '/lake-eu/a/one.txt']]);
      expect(seen[0].query['list-type']).toBe('2');
      expect(seen[1]).toMatchObject({ range: 'bytes=0-4', status: 206, responseBytes: 5 });
    } finally {
      client.destroy();
    }
  });

  it('answers fixture locations and policies, and s3rver\'s own errors for what it lacks', async () => {
    const client = testS3Client(s3.endpoint);
    try {
      expect((await client.send(new GetBucketLocationCommand({ Bucket: 'lake-eu' }))).LocationConstraint).toBe('eu-west-1');
      // s3rver's own default answer: an empty LocationConstraint (us-east-1).
      expect((await client.send(new GetBucketLocationCommand({ Bucket: 'lake-us' }))).LocationConstraint ?? '').toBe('');
      expect(JSON.parse((await client.send(new GetBucketPolicyCommand({ Bucket: 'lake-eu' }))).Policy!)).toMatchObject({ Version: '2012-10-17' });
      expect(await errorName(client.send(new GetBucketPolicyCommand({ Bucket: 'lake-us' })))).toBe('MethodNotAllowed 405');
      expect(await errorName(client.send(new GetBucketAclCommand({ Bucket: 'lake-us' })))).toBe('NotImplemented 501');
      // s3rver does not know ?versioning and answers a plain listing, which the SDK reads as "never enabled".
      expect((await client.send(new GetBucketVersioningCommand({ Bucket: 'lake-us' }))).Status).toBeUndefined();
    } finally {
      client.destroy();
    }
  });

  it('refuses requests matching a deny rule with AccessDenied, and only those', async () => {
    s3.deny({ bucket: 'lake-eu', keyPrefix: 'a/', method: 'GET' });
    const client = testS3Client(s3.endpoint);
    try {
      expect(await errorName(client.send(new GetObjectCommand({ Bucket: 'lake-eu', Key: 'a/one.txt' })))).toBe('AccessDenied 403');
      expect(await errorName(client.send(new ListObjectsV2Command({ Bucket: 'lake-eu' })))).toBe('no error');
    } finally {
      client.destroy();
    }
  });
});
