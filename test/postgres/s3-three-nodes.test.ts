import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { ApiErrorBody, ApiUpload } from '../../common/api';
import { createTestDatabase, POSTGRES_URL_ENV, type TestDatabase } from '../helpers/postgres';
import { startS3, type TestS3 } from '../helpers/s3';
import { startServer, type TestServer } from '../helpers/server';
import { send } from '../server/support';

// Three nodes behind a load balancer share one PostgreSQL database and one bucket: an upload that
// reached node A is sent through node B and downloaded from node C, none of which shares a disk.

function adminUrl(): string {
  const url = process.env[POSTGRES_URL_ENV];
  if (!url) throw new Error(`${POSTGRES_URL_ENV} is not set: run this suite with npm run test:unit -- --backend postgres test/postgres`);
  return url;
}

describe('three server nodes on one database and one S3 bucket', () => {
  let database: TestDatabase;
  let s3: TestS3;
  let nodes: TestServer[];

  before(async () => {
    database = await createTestDatabase(adminUrl());
    s3 = await startS3();
    nodes = await Promise.all([0, 1, 2].map(() => startServer({ databaseUrl: database.url, ...s3.config })));
  });
  after(async () => {
    await Promise.all(nodes.map((node) => node.close()));
    await s3.close();
    await database.drop();
  });

  it('an upload on node A, sent on node B, downloads from node C byte for byte', async () => {
    const [a, b, c] = nodes;
    assert.ok(a && b && c);
    // A token from one node is a row in the shared database: every node accepts it.
    const token = await a.login('mod@example.com');
    const content = Buffer.from(`Faktura ${randomUUID()}\n`.repeat(500));
    const body = new FormData();
    body.append('file', new Blob([new Uint8Array(content)], { type: 'text/plain' }), 'faktura.txt');
    const uploaded = await a.request<{ data: ApiUpload } & Partial<ApiErrorBody>>('POST', '/api/v1/uploads', { token, body });
    assert.equal(uploaded.status, 201, JSON.stringify(uploaded.body));

    const sent = await send(b, token, 1, { text: 'Faktura w załączniku', attachments: [uploaded.body.data.path], client_message_id: randomUUID() });
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    const [attachment] = sent.body.data.attachments;
    assert.ok(attachment);

    const res = await fetch(`${c.url}${new URL(attachment.url).pathname}`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-disposition')?.startsWith('inline; filename="faktura.txt"'), true);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), content);
  });
});
