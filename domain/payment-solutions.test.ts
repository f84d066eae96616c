import { weiqifuDays } from './payment-solutions';

describe('微企付 default days (Shanghai calendar)', () => {
  it('files default to the day before, balances to a month back up to it', () => {
    expect(weiqifuDays(new Date('2026-12-02T03:00:00Z'))).toEqual({ today: '2026-12-02', yesterday: '2026-12-01', monthAgo: '2026-11-02' });
  });

  it('counts the day in Shanghai: 16:30 UTC on 31 December is already 1 January', () => {
    expect(weiqifuDays(new Date('2026-12-31T16:30:00Z'))).toEqual({ today: '2027-01-01', yesterday: '2026-12-31', monthAgo: '2026-12-01' });
  });

  it('a month back from the 31st of March is the last day of February', () => {
    expect(weiqifuDays(new Date('2027-03-31T04:00:00Z')).monthAgo).toBe('2027-02-28');
    expect(weiqifuDays(new Date('2028-03-30T04:00:00Z')).monthAgo).toBe('2028-02-29');
  });
});
