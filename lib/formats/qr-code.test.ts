/** The QR codes we serve decode (by a real decoder) to the exact link, whatever its characters. */
import jsQR from 'jsqr';
import { qrCodeDataUrl } from './qr-code';

const SCALE = 4;

/** Rasterises the SVG `qrcode` writes (a white square, then one stroked path of horizontal runs). */
function rasterise(dataUrl: string): { data: Uint8ClampedArray; size: number } {
  const svg = Buffer.from(dataUrl.replace(/^data:image\/svg\+xml;base64,/, ''), 'base64').toString();
  const modules = Number(/viewBox="0 0 (\d+) \d+"/.exec(svg)![1]);
  const path = /<path stroke="#000000" d="([^"]+)"/.exec(svg)![1]!;
  const size = modules * SCALE;
  const data = new Uint8ClampedArray(size * size * 4).fill(255);
  let x = 0;
  let y = 0;
  for (const [, op, a, b] of path.matchAll(/([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?/g)) {
    if (op === 'M') [x, y] = [Number(a), Number(b)];
    else if (op === 'm') [x, y] = [x + Number(a), y + Number(b)];
    else {
      const row = Math.floor(y);
      for (let col = x; col < x + Number(a); col++)
        for (let dy = 0; dy < SCALE; dy++)
          for (let dx = 0; dx < SCALE; dx++) {
            const i = ((row * SCALE + dy) * size + col * SCALE + dx) * 4;
            data[i] = data[i + 1] = data[i + 2] = 0;
          }
      x += Number(a);
    }
  }
  return { data, size };
}

describe('link QR codes', () => {
  it.each([
    'http://127.0.0.1:3000/onboard/3q2-7Yk_uT9xWb0cLmN4pQrStUvWxYz01234567890ab',
    'https://yst.example.cn/onboard/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    'https://开户.example.cn/onboard/x?from=短信&n=1',
  ])('%s decodes to itself', async (link) => {
    const { data, size } = rasterise(await qrCodeDataUrl(link));
    expect(jsQR(data, size, size)?.data).toBe(link);
  });

  it('is an SVG data URL', async () => {
    expect(await qrCodeDataUrl('https://a.example/onboard/t')).toMatch(/^data:image\/svg\+xml;base64,/);
  });
});
