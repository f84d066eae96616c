import express from 'express';
import request from 'supertest';
import { defaultPayloadConverter } from '@temporalio/common';
import { codecRouter } from './codec-server';
import { EncryptionCodec } from './payload-codec';

describe('codec endpoint for the Temporal Web UI', () => {
  const codec = new EncryptionCodec(Buffer.alloc(32, 9).toString('base64'));
  const app = express().use('/codec', codecRouter(codec, 'http://127.0.0.1:8233'));
  const b64 = (u?: Uint8Array | null) => Buffer.from(u ?? []).toString('base64');

  it('decodes what the product encrypted, for the Temporal UI origin only', async () => {
    const plain = defaultPayloadConverter.toPayload({ name: '张三', idNumber: '11010519491231002X' });
    const [sealed] = await codec.encode([plain]);
    const json = { metadata: Object.fromEntries(Object.entries(sealed!.metadata!).map(([k, v]) => [k, b64(v)])), data: b64(sealed!.data) };
    expect(Buffer.from(sealed!.data!).toString()).not.toContain('11010519491231002X');

    const res = await request(app)
      .post('/codec/decode')
      .set('origin', 'http://127.0.0.1:8233')
      .send({ payloads: [json] });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('http://127.0.0.1:8233');
    const decoded = res.body.payloads[0];
    expect(JSON.parse(Buffer.from(decoded.data, 'base64').toString())).toEqual({ name: '张三', idNumber: '11010519491231002X' });

    const other = await request(app)
      .post('/codec/decode')
      .set('origin', 'http://evil.example')
      .send({ payloads: [json] });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a body without payloads and data sealed with another key', async () => {
    expect((await request(app).post('/codec/decode').send({})).status).toBe(400);
    const foreign = await new EncryptionCodec(Buffer.alloc(32, 1).toString('base64')).encode([defaultPayloadConverter.toPayload('x')]);
    const json = { metadata: Object.fromEntries(Object.entries(foreign[0]!.metadata!).map(([k, v]) => [k, b64(v)])), data: b64(foreign[0]!.data) };
    const res = await request(app)
      .post('/codec/decode')
      .send({ payloads: [json] });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('无法解码：密钥不符或数据已损坏');
  });
});
