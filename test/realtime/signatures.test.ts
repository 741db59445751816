import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bodyMd5, channelAuthToken, channelAuthValid, httpApiProblem, httpApiSignature, signHttpApiRequest } from '../../server/realtime/signatures';

// Pusher's published examples (HTTP API reference, "Worked authentication example"; auth-signatures page),
// the same vectors the official server libraries test against: if the string to sign were assembled wrong,
// these fail even though our signer and verifier would still agree with each other.
const KEY = '278d425bdf160c739803';
const SECRET = '7ad3773142a6692b25b8';
const TIMESTAMP = 1353088179;
const BODY = '{"name":"foo","channels":["project-3"],"data":"{\\"some\\":\\"data\\"}"}';
const BODY_MD5 = 'ec365a775a4cd0599faeb73354201b6f';
const SIGNATURE = 'da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c';

function vectorQuery(overrides: Record<string, string> = {}): URLSearchParams {
  return new URLSearchParams({
    auth_key: KEY,
    auth_timestamp: String(TIMESTAMP),
    auth_version: '1.0',
    body_md5: BODY_MD5,
    auth_signature: SIGNATURE,
    ...overrides,
  });
}

describe('realtime: Pusher signatures', () => {
  it('reproduces the HTTP API worked example', () => {
    assert.equal(bodyMd5(BODY), BODY_MD5);
    const query = new URLSearchParams({ auth_key: KEY, auth_timestamp: String(TIMESTAMP), auth_version: '1.0', body_md5: BODY_MD5 });
    assert.equal(httpApiSignature(SECRET, 'POST', '/apps/3/events', query), SIGNATURE);
    assert.equal(signHttpApiRequest({ key: KEY, secret: SECRET }, 'POST', '/apps/3/events', BODY, TIMESTAMP * 1000).get('auth_signature'), SIGNATURE);
  });

  it('accepts the worked example and refuses any change to it', () => {
    const credentials = { key: KEY, secret: SECRET };
    const at = TIMESTAMP * 1000;
    const request = (query: URLSearchParams, body = BODY, path = '/apps/3/events', method = 'POST') => ({ method, path, query, body });
    assert.equal(httpApiProblem(request(vectorQuery()), credentials, at), null);
    // Keys are compared lowercased and in any order, as the spec says.
    const reordered = new URLSearchParams([['AUTH_SIGNATURE', SIGNATURE], ['body_md5', BODY_MD5], ['Auth_Version', '1.0'], ['auth_timestamp', String(TIMESTAMP)], ['auth_key', KEY]]);
    assert.equal(httpApiProblem(request(reordered), credentials, at + 599_000), null, 'within 600 s');

    assert.match(httpApiProblem(request(vectorQuery(), BODY.replace('data', 'date')), credentials, at) ?? '', /body_md5/);
    assert.match(httpApiProblem(request(vectorQuery({ auth_signature: SIGNATURE.replace(/^d/, 'e') })), credentials, at) ?? '', /signature invalid/);
    assert.match(httpApiProblem(request(vectorQuery(), BODY, '/apps/4/events'), credentials, at) ?? '', /signature invalid/);
    assert.match(httpApiProblem(request(vectorQuery(), BODY, '/apps/3/events', 'PUT'), credentials, at) ?? '', /signature invalid/);
    assert.match(httpApiProblem(request(vectorQuery({ extra: 'param' })), credentials, at) ?? '', /signature invalid/, 'an added parameter is signed too');
    assert.match(httpApiProblem(request(vectorQuery()), credentials, at + 601_000) ?? '', /600 seconds/);
    assert.match(httpApiProblem(request(vectorQuery()), credentials, at - 601_000) ?? '', /600 seconds/);
    assert.match(httpApiProblem(request(vectorQuery()), { key: KEY, secret: 'another-secret' }, at) ?? '', /signature invalid/);
    assert.match(httpApiProblem(request(vectorQuery({ auth_key: 'another-key' })), credentials, at) ?? '', /auth_key/);
    const unsigned = vectorQuery();
    unsigned.delete('auth_signature');
    assert.match(httpApiProblem(request(unsigned), credentials, at) ?? '', /required/);
  });

  it('reproduces the channel authorisation examples for private and presence channels', () => {
    assert.equal(channelAuthToken(KEY, SECRET, '1234.1234', 'private-foobar'), `${KEY}:58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4`);
    const channelData = '{"user_id":10,"user_info":{"name":"Mr. Pusher"}}';
    assert.equal(
      channelAuthToken(KEY, SECRET, '1234.1234', 'presence-foobar', channelData),
      `${KEY}:afaed3695da2ffd16931f457e338e6c9f2921fa133ce7dac49f529792be6304c`,
    );
    assert.equal(channelAuthValid(KEY, SECRET, '1234.1234', 'presence-foobar', channelAuthToken(KEY, SECRET, '1234.1234', 'presence-foobar', channelData), channelData), true);
  });

  it('refuses a channel signature for another socket, channel, key or channel_data', () => {
    const good = channelAuthToken(KEY, SECRET, '1234.1234', 'private-foobar');
    assert.equal(channelAuthValid(KEY, SECRET, '1234.1234', 'private-foobar', good), true);
    assert.equal(channelAuthValid(KEY, SECRET, '1234.1235', 'private-foobar', good), false);
    assert.equal(channelAuthValid(KEY, SECRET, '1234.1234', 'private-foobaz', good), false);
    assert.equal(channelAuthValid('other-key', SECRET, '1234.1234', 'private-foobar', good), false);
    assert.equal(channelAuthValid(KEY, SECRET, '1234.1234', 'private-foobar', good.slice(0, -1)), false, 'a shorter token');
    assert.equal(channelAuthValid(KEY, SECRET, '1234.1234', 'private-foobar', ''), false);
    const presence = channelAuthToken(KEY, SECRET, '1.1', 'presence-x', '{"user_id":1}');
    assert.equal(channelAuthValid(KEY, SECRET, '1.1', 'presence-x', presence, '{"user_id":2}'), false, 'channel_data is signed');
  });
});
