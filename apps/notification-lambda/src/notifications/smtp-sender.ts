// Sends notifications by SMTP (nodemailer), when NOTIFICATION_SENDER=smtp. StockReserved carries no
// address, so mail goes to NOTIFICATION_EMAIL_TO (e.g. a shop mailbox); a customer lookup would slot in here.
import { createTransport, Transporter } from 'nodemailer';
import { Notification, NotificationSender } from './notification';

export interface SmtpSettings {
  url: string;
  from: string;
  to: string;
}

export class SmtpSender implements NotificationSender {
  readonly kind = 'smtp';
  private readonly transport: Transporter;

  constructor(private readonly settings: SmtpSettings) {
    this.transport = createTransport(settings.url);
  }

  async send(notification: Notification): Promise<void> {
    await this.transport.sendMail({
      from: this.settings.from,
      to: this.settings.to,
      subject: notification.subject,
      text: notification.text,
      headers: { 'X-Event-Id': notification.id },
    });
  }
}
