/** The web process in front of several API processes (the cluster mode runs two). */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { apiTargets, createWebServer } from '../../web/server/server';

function fakeApi(name: string): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ name, path: req.url }));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('web server', () => {
  it('forwards /api to the API processes in turn', async () => {
    const apis = await Promise.all([fakeApi('a'), fakeApi('b')]);
    try {
      const urls = apis.map((s) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`);
      const web = createWebServer({ apiUrl: urls.join(',') });
      const answers: string[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await request(web).get('/api/ping').expect(200);
        expect(res.body.path).toBe('/api/ping');
        answers.push(res.body.name);
      }
      expect(answers).toEqual(['a', 'b', 'a', 'b']);
    } finally {
      await Promise.all(apis.map((s) => new Promise((r) => s.close(r))));
    }
  });

  it('refuses an API_URL that names no http origin', () => {
    expect(apiTargets('http://api:3001, http://api-2:3001')).toEqual(['http://api:3001', 'http://api-2:3001']);
    expect(() => apiTargets('')).toThrow(/names no API/);
    expect(() => apiTargets('api:3001')).toThrow(/not an http/);
    expect(() => apiTargets('http://api:3001/base')).toThrow(/not an http/);
  });
});
