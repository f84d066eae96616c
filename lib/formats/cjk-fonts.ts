/**
 * Fonts for names the main CJK font cannot print. Noto Sans SC covers the characters of GB 18030's
 * two-byte part and extension A, not the rarer extensions (𠮷 is extension B). Those fall back to
 * HanaMin (花園明朝, split by Unicode block in the `hanamin` package as WOFF2): the block file that
 * covers a character is decompressed to TrueType once (pdfkit cannot subset WOFF2) and kept.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require_ = createRequire(__filename);
export const MAIN_FONT = path.join(path.dirname(require_.resolve('@expo-google-fonts/noto-sans-sc/package.json')), '400Regular', 'NotoSansSC_400Regular.ttf');
const FALLBACK_DIR = path.dirname(require_.resolve('hanamin/package.json'));

let main: { hasGlyphForCodePoint(cp: number): boolean } | undefined;
let fallbackFiles: { file: string; ranges: [number, number][] }[] | undefined;
const decompressed = new Map<string, Promise<Buffer>>();
/** The fallback fonts already registered on each document. */
const registered = new WeakMap<PDFKit.PDFDocument, Set<string>>();

function mainFont() {
  // fontkit (pdfkit's font engine) has no type declarations.
  const fontkit = require_('fontkit') as { openSync(file: string): { hasGlyphForCodePoint(cp: number): boolean } };
  main ??= fontkit.openSync(MAIN_FONT);
  return main;
}

/** The block files and their unicode-range, read from the package's stylesheet. */
function fallbacks() {
  if (!fallbackFiles) {
    const css = fs.readFileSync(path.join(FALLBACK_DIR, 'HanaMin.css'), 'utf8');
    fallbackFiles = [...css.matchAll(/url\(([^)]+)\) format\("woff2"\);\s*unicode-range: ([^;]+);/g)].map((m) => ({
      file: m[1]!,
      ranges: m[2]!.split(',').map((r) => {
        const [a, b] = r.trim().replace(/^U\+/i, '').split('-');
        return [parseInt(a!, 16), parseInt(b ?? a!, 16)] as [number, number];
      }),
    }));
  }
  return fallbackFiles;
}

function fallbackFileFor(cp: number): string | null {
  return fallbacks().find((f) => f.ranges.some(([a, b]) => cp >= a && cp <= b))?.file ?? null;
}

async function trueTypeOf(file: string): Promise<Buffer> {
  let ttf = decompressed.get(file);
  if (!ttf) {
    const { decompress } = require_('wawoff2') as { decompress(b: Buffer): Promise<Uint8Array> };
    ttf = decompress(fs.readFileSync(path.join(FALLBACK_DIR, file))).then((b) => Buffer.from(b));
    decompressed.set(file, ttf);
  }
  return ttf;
}

/** A run of text and the font that prints it ('main', or a fallback font's name). */
export interface FontRun {
  font: string;
  text: string;
}

/**
 * Splits `text` into runs by the font that has its characters, registering the fallback fonts it
 * needs on `doc`. Characters no font has stay with the main font.
 */
export async function fontRuns(doc: PDFKit.PDFDocument, text: string): Promise<FontRun[]> {
  const runs: FontRun[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    let font = 'main';
    if (cp > 0x7f && !mainFont().hasGlyphForCodePoint(cp)) {
      const file = fallbackFileFor(cp);
      if (file) {
        font = `fallback:${file}`;
        const fonts = registered.get(doc) ?? new Set<string>();
        registered.set(doc, fonts);
        if (!fonts.has(font)) {
          doc.registerFont(font, await trueTypeOf(file));
          fonts.add(font);
        }
      }
    }
    const last = runs.at(-1);
    if (last && last.font === font) last.text += ch;
    else runs.push({ font, text: ch });
  }
  return runs;
}
