/** A page to read an OpenAPI document without any tool (offline: no script from elsewhere), for both of the product's APIs. */

interface Operation {
  summary?: string;
  description?: string;
  'x-admits'?: string;
  parameters?: { name: string; in: string; required?: boolean; description?: string }[];
  requestBody?: { content: Record<string, { example?: unknown }> };
  responses: Record<string, { description: string; content?: Record<string, { example?: unknown }> }>;
}

export interface ReadableDocument {
  info: { title: string; version: string; description?: string };
  servers: { url: string }[];
  paths: Record<string, Record<string, unknown>>;
  tags?: { name: string; description?: string }[];
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const pretty = (v: unknown) => `<pre>${esc(typeof v === 'string' ? v : JSON.stringify(v, null, 2))}</pre>`;

/** Each operation as a section (grouped by tag when the document has tags): admits, parameters, request and answer examples, errors. */
export function renderDocsPage(doc: ReadableDocument, jsonUrl: string): string {
  const server = doc.servers[0]?.url ?? '';
  const sections: { tag: string; html: string }[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, raw] of Object.entries(ops)) {
      const op = raw as Operation & { tags?: string[] };
      const ok = Object.entries(op.responses).filter(([s]) => Number(s) < 400);
      const errors = Object.entries(op.responses).filter(([s]) => Number(s) >= 400);
      const params = (op.parameters ?? []).map(
        (p) => `<li><code>${esc(p.name)}</code>（${p.in}${p.required ? '，必填' : ''}）${esc(p.description ?? '')}</li>`,
      );
      const request = op.requestBody ? Object.entries(op.requestBody.content).find(([, c]) => c.example !== undefined) : undefined;
      sections.push({
        tag: op.tags?.[0] ?? '',
        html: `<section><h3><code>${method.toUpperCase()} ${esc(server)}${esc(path)}</code> ${esc(op.summary ?? '')}</h3>
${op['x-admits'] ? `<p>可调用：${esc(op['x-admits'])}</p>` : ''}${op.description ? `<p>${esc(op.description)}</p>` : ''}
${params.length ? `<h4>参数</h4><ul>${params.join('')}</ul>` : ''}
${request ? `<h4>请求示例（${esc(request[0])}）</h4>${pretty(request[1].example)}` : ''}
${ok.map(([s, r]) => `<h4>应答 ${s}</h4>${r.content?.['application/json']?.example !== undefined ? pretty(r.content['application/json'].example) : `<p>${esc(r.description)}</p>`}`).join('')}
<h4>错误</h4><ul>${errors.map(([s, r]) => `<li><b>${s}</b> ${esc(r.description)}</li>`).join('')}</ul></section>`,
      });
    }
  }
  const tags = doc.tags?.length ? doc.tags : [{ name: '' }];
  const body = tags
    .map((t) => {
      const own = sections.filter((s) => s.tag === t.name || !doc.tags?.length);
      return `${t.name ? `<h2 id="${esc(t.name)}">${esc(t.name)}</h2>` : ''}${'description' in t && t.description ? `<p>${esc(t.description)}</p>` : ''}${own.map((s) => s.html).join('\n')}`;
    })
    .join('\n');
  const toc = doc.tags?.length ? `<p>${doc.tags.map((t) => `<a href="#${esc(t.name)}">${esc(t.name)}</a>`).join(' · ')}</p>` : '';
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(doc.info.title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#222}pre{background:#f6f8fa;padding:1em;overflow:auto}h2{border-top:2px solid #888;padding-top:1em}h3{border-top:1px solid #ddd;padding-top:1em;font-size:1.05em}</style>
</head><body><h1>${esc(doc.info.title)}（${esc(doc.info.version)}）</h1><p>${esc(doc.info.description ?? '')}</p>
<p>机器可读：<a href="${esc(jsonUrl)}">${esc(jsonUrl)}</a>（OpenAPI 3.1）</p>${toc}${body}</body></html>`;
}
