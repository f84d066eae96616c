// Prints the text of the PDF on stdin. Runs as its own Node process: pdf.js
// loads its worker with a dynamic import, which jest's module system cannot do.
import { PDFParse } from 'pdf-parse';

const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const parser = new PDFParse({ data: Buffer.concat(chunks) });
process.stdout.write((await parser.getText()).text);
await parser.destroy();
