import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export type SmtpSink = { port: number; url: string; received: ParsedMail[]; close(): Promise<void> };

/** A real SMTP server on `port` (0: any), collecting what it is sent, parsed as a mail client would. */
export const smtpSink = async (port = 0): Promise<SmtpSink> => {
  const received: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, done) {
      simpleParser(stream).then((mail) => (received.push(mail), done()), done);
    },
  });
  // A client killed in the middle of a message (the SIGKILL tests) resets its connection: the server emits
  // the error, and an unheard 'error' would take the whole test process down with it.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.server.address() as AddressInfo).port;
  return { port: bound, url: `smtp://127.0.0.1:${bound}`, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
};

/** Who a received e-mail was addressed to. */
export const recipientOf = (mail: ParsedMail): string => (Array.isArray(mail.to) ? mail.to[0] : mail.to)?.text ?? '';
