/**
 * The dev outbox: a real SMTP server (smtp-server) and a Twilio-compatible
 * Messages endpoint on loopback, so the product's nodemailer and twilio clients
 * run their whole real path in embedded mode and tests. Received messages are
 * kept in memory and shown on a page. In embedded mode it also serves the codec
 * endpoint the Temporal Web UI uses to show decoded payloads.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import express, { type Router } from 'express';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface OutboxMessage {
  id: string;
  channel: 'sms' | 'mail';
  to: string;
  from: string;
  subject: string | null;
  body: string;
  receivedAt: string;
}

export interface Outbox {
  httpUrl: string;
  smtpPort: number;
  messages(): OutboxMessage[];
  /** Resolves with the first message (from now on or already received) that matches. */
  waitFor(match: (m: OutboxMessage) => boolean, timeoutMs?: number): Promise<OutboxMessage>;
  stop(): Promise<void>;
}

const KEEP = 20_000;

export async function startOutbox(opts: {
  httpPort: number;
  smtpPort: number;
  accountSid: string;
  authToken: string;
  host?: string;
  /** Mounted at /codec: lets the Temporal Web UI decode the product's encrypted payloads. */
  codec?: Router;
}): Promise<Outbox> {
  const host = opts.host ?? '127.0.0.1';
  const messages: OutboxMessage[] = [];
  const waiters = new Set<(m: OutboxMessage) => void>();
  const store = (m: OutboxMessage) => {
    messages.push(m);
    if (messages.length > KEEP) messages.shift();
    for (const w of waiters) w(m);
  };

  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          store({
            id: randomUUID(),
            channel: 'mail',
            to: mail.to
              ? [mail.to]
                  .flat()
                  .map((a) => a.text)
                  .join(', ')
              : '',
            from: mail.from?.text ?? '',
            subject: mail.subject ?? null,
            body: mail.text ?? '',
            receivedAt: new Date().toISOString(),
          });
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve, reject) => {
    smtp.once('error', reject);
    smtp.listen(opts.smtpPort, host, () => resolve());
  });
  // A client that goes away mid-conversation (a worker killed while sending mail) is its own
  // affair; unhandled, the connection's error would end the process running the outbox.
  smtp.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'ECONNRESET' && err.code !== 'EPIPE') console.error('[outbox] smtp:', err.message);
  });
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  const app = express();
  app.use(express.urlencoded({ extended: false }));
  const expectedAuth = `Basic ${Buffer.from(`${opts.accountSid}:${opts.authToken}`).toString('base64')}`;

  // Twilio's "create a Message" resource, as the twilio client calls it.
  app.post('/2010-04-01/Accounts/:sid/Messages.json', (req, res) => {
    if (req.headers.authorization !== expectedAuth || req.params.sid !== opts.accountSid) {
      res.status(401).json({ code: 20003, message: 'Authenticate', status: 401 });
      return;
    }
    const { To, From, Body } = req.body as Record<string, string | undefined>;
    if (!To || !Body) {
      res.status(400).json({ code: 21604, message: "A 'To' phone number and a 'Body' are required.", status: 400 });
      return;
    }
    const sid = `SM${randomUUID().replace(/-/g, '')}`;
    const now = new Date();
    store({ id: sid, channel: 'sms', to: To, from: From ?? '', subject: null, body: Body, receivedAt: now.toISOString() });
    res.status(201).json({
      sid,
      account_sid: opts.accountSid,
      to: To,
      from: From,
      body: Body,
      status: 'queued',
      num_segments: '1',
      direction: 'outbound-api',
      date_created: now.toUTCString(),
      date_updated: now.toUTCString(),
      api_version: '2010-04-01',
      uri: `/2010-04-01/Accounts/${opts.accountSid}/Messages/${sid}.json`,
    });
  });

  // Twilio's "list Messages" resource, filtered by To and DateSent> as the client sends them:
  // the product asks it whether a message whose outcome it lost was already sent.
  app.get('/2010-04-01/Accounts/:sid/Messages.json', (req, res) => {
    if (req.headers.authorization !== expectedAuth || req.params.sid !== opts.accountSid) {
      res.status(401).json({ code: 20003, message: 'Authenticate', status: 401 });
      return;
    }
    const query = req.query as Record<string, string | undefined>;
    const after = query['DateSent>'] ? Date.parse(query['DateSent>']) : Number.NEGATIVE_INFINITY;
    const pageSize = Math.min(Number(query.PageSize ?? 50) || 50, 1000);
    const found = messages
      .filter((m) => m.channel === 'sms' && (!query.To || m.to === query.To) && Date.parse(m.receivedAt) > after)
      .reverse()
      .slice(0, pageSize);
    const uri = `/2010-04-01/Accounts/${opts.accountSid}/Messages.json`;
    res.json({
      messages: found.map((m) => ({
        sid: m.id,
        account_sid: opts.accountSid,
        to: m.to,
        from: m.from,
        body: m.body,
        status: 'delivered',
        direction: 'outbound-api',
        date_created: new Date(m.receivedAt).toUTCString(),
        date_sent: new Date(m.receivedAt).toUTCString(),
        api_version: '2010-04-01',
        uri: `${uri.slice(0, -5)}/${m.id}.json`,
      })),
      page: 0,
      page_size: pageSize,
      first_page_uri: uri,
      next_page_uri: null,
      previous_page_uri: null,
      uri,
    });
  });

  if (opts.codec) app.use('/codec', opts.codec);

  app.get('/api/messages', (req, res) => {
    const limit = Math.min(Number(req.query.limit ?? 1000) || 1000, KEEP);
    res.json(messages.slice(-limit).reverse());
  });

  app.get('/', (_req, res) => {
    res.type('html').send(renderPage(messages.slice(-200).reverse()));
  });

  const http: Server = await new Promise((resolve, reject) => {
    const s = app.listen(opts.httpPort, host, () => resolve(s));
    s.once('error', reject);
  });
  const httpPort = (http.address() as AddressInfo).port;

  return {
    httpUrl: `http://${host}:${httpPort}`,
    smtpPort,
    messages: () => [...messages],
    waitFor(match, timeoutMs = 10_000) {
      const seen = messages.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error('no matching message arrived in the outbox'));
        }, timeoutMs);
        const waiter = (m: OutboxMessage) => {
          if (!match(m)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(m);
        };
        waiters.add(waiter);
      });
    },
    async stop() {
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    },
  };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function renderPage(list: OutboxMessage[]): string {
  const rows = list
    .map(
      (m) => `<tr><td>${escapeHtml(new Date(m.receivedAt).toLocaleString('zh-CN', { hour12: false }))}</td>
<td>${m.channel === 'sms' ? '短信' : '邮件'}</td><td>${escapeHtml(m.to)}</td>
<td>${m.subject ? `<b>${escapeHtml(m.subject)}</b><br>` : ''}<pre>${escapeHtml(m.body)}</pre></td></tr>`,
    )
    .join('\n');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="5"><title>开发发件箱</title>
<style>body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:24px;color:#222}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #eee;padding:8px;text-align:left;vertical-align:top}
pre{white-space:pre-wrap;margin:0;font-family:inherit}th{background:#fafafa}</style></head>
<body><h2>开发发件箱（短信 / 邮件）</h2>
<p>本地模式下，平台经 twilio 客户端发出的短信和经 nodemailer 发出的邮件都会出现在这里（每 5 秒刷新）。</p>
<table><thead><tr><th>时间</th><th>类型</th><th>收件人</th><th>内容</th></tr></thead><tbody>
${rows || '<tr><td colspan="4">暂无消息</td></tr>'}</tbody></table></body></html>`;
}
