import { createTransport } from 'nodemailer';
import type { MailConfig } from '../config.js';

/** What the dispatcher needs of a mail transport. */
export interface Mailer {
  send(message: { to: string; subject: string; text: string; locale: string }): Promise<void>;
  close(): void;
}

/** An SMTP transport (nodemailer) from the configured settings. */
export function smtpMailer(config: MailConfig): Mailer {
  const transport = config.url
    ? createTransport(config.url)
    : createTransport({
        host: config.host ?? 'localhost',
        port: config.port ?? (config.secure ? 465 : 587),
        secure: config.secure,
        ...(config.user ? { auth: { user: config.user, pass: config.password ?? '' } } : {}),
      });
  return {
    async send(m) {
      await transport.sendMail({
        from: config.from,
        to: m.to,
        subject: m.subject,
        text: m.text,
        headers: { 'Content-Language': m.locale },
      });
    },
    close: () => transport.close(),
  };
}
