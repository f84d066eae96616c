import nodemailer from 'nodemailer';

export interface Mailer {
  send(mail: { to: string; subject: string; text: string }): Promise<string>;
}

/** nodemailer over SMTP: the dev outbox's SMTP server locally, a real relay in production. */
export function createSmtpMailer(opts: { host: string; port: number; secure: boolean; user?: string; pass?: string; from: string }): Mailer {
  const transport = nodemailer.createTransport({
    host: opts.host,
    port: opts.port,
    secure: opts.secure,
    auth: opts.user ? { user: opts.user, pass: opts.pass } : undefined,
    // The local outbox offers no TLS; a production relay is configured with SMTP_SECURE.
    ignoreTLS: !opts.secure && opts.host === '127.0.0.1',
  });
  return {
    async send(mail) {
      const info = await transport.sendMail({ from: opts.from, ...mail });
      return info.messageId;
    },
  };
}
