/** Guessing many accounts from one client address: refused after LOGIN_FAILURES_PER_ADDRESS failures in 15 minutes. */
import request from 'supertest';
import { createTenant, fileHarness } from '../support/harness';

describe('the per-address login limit', () => {
  const h = fileHarness({ config: { LOGIN_FAILURES_PER_ADDRESS: '3' } });

  it('counts failures of any account name from one address, and never another address', async () => {
    const address = `203.0.113.${Math.floor(Math.random() * 250) + 1}`;
    const other = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
    const login = (from: string, username: string, password: string) =>
      request(h.app.app).post('/api/auth/login').set('X-Forwarded-For', from).send({ username, password });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await login(address, `guess-${i}-${address}`, 'Wrong#pass1')).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const t = await createTenant(h.services);
    expect((await login(address, t.username, t.password)).status).toBe(429);
    expect((await login(other, t.username, t.password)).status).toBe(200);
  });
});
