import { describe, expect, it } from 'vitest';
import { summariseAcl, summarisePolicy } from './policy.js';

const doc = (...Statement: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement });

describe('summarisePolicy', () => {
  it.each([
    ['anyone may GetObject', doc({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }), true],
    ['anyone may s3:*', doc({ Effect: 'Allow', Principal: { AWS: '*' }, Action: ['s3:*'], Resource: '*' }), true],
    ['a condition (source IP) narrows it: not counted as public', doc({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }), false],
    ['a Deny to anyone is not public', doc({ Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: '*' }), false],
    ['a named role only', doc({ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::1:role/etl'] }, Action: 's3:GetObject', Resource: '*' }), false],
    ['anyone may only list', doc({ Effect: 'Allow', Principal: '*', Action: 's3:ListBucket', Resource: '*' }), false],
  ])('%s → publicRead %s', (_why, text, expected) => {
    const s = summarisePolicy(text);
    expect(s.status === 'present' && s.publicRead).toBe(expected);
  });

  it('summarises principals, actions and condition keys (not their values)', () => {
    const s = summarisePolicy(doc({ Sid: 'x', Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::b/*', Condition: { StringEquals: { 'aws:SourceAccount': '123' } } }));
    expect(s).toEqual({ status: 'present', publicRead: false, statements: [{ sid: 'x', effect: 'Allow', principals: ['Service:logging.s3.amazonaws.com'], actions: ['s3:PutObject'], inverted: false, resources: ['arn:aws:s3:::b/*'], conditionKeys: ['aws:SourceAccount'] }] });
  });

  it('reports an unparseable policy instead of throwing', () => {
    expect(summarisePolicy('{not json')).toEqual({ status: 'invalid', reason: 'policy is not valid JSON' });
  });
});

describe('summariseAcl', () => {
  it('names groups and users, withholds email grantees, flags public read', () => {
    const s = summariseAcl({ DisplayName: 'owner' }, [
      { Grantee: { Type: 'CanonicalUser', ID: 'abc', DisplayName: 'owner' }, Permission: 'FULL_CONTROL' },
      { Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' },
      { Grantee: { Type: 'AmazonCustomerByEmail', EmailAddress: 'someone@example.com' }, Permission: 'READ' },
    ]);
    expect(s).toEqual({ status: 'present', owner: 'owner', publicRead: true, grants: [{ grantee: 'CanonicalUser:owner', permission: 'FULL_CONTROL' }, { grantee: 'Group:AllUsers', permission: 'READ' }, { grantee: 'Email', permission: 'READ' }] });
  });
});
