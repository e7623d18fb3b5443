/**
 * The compliance footer's text in each language Herald ships (ICU MessageFormat, formatted with
 * FormatJS's intl-messageformat). `{unsubscribe}`, `{preferences}` and `{email}` receive HTML that
 * holds Handlebars expressions, filled per recipient at send time. English is the fallback; a
 * language is added by adding its catalog here with exactly English's keys (a test checks).
 */
export interface FooterMessages {
  /** Promotional mail: why the reader gets it, then the two links. */
  promotional: string;
  /** Optional transactional mail (a kind the reader may turn off). */
  optional: string;
  /** Required transactional mail: nothing to unsubscribe from. */
  required: string;
  unsubscribe: string;
  unsubscribeKind: string;
  preferences: string;
  sentTo: string;
}

export const footerMessages: Record<string, FooterMessages> = {
  en: {
    promotional:
      'You are receiving this because you subscribed to these emails. {unsubscribe} &middot; {preferences}',
    optional: "Don't want emails like this? {unsubscribe} &middot; {preferences}",
    required:
      'This is a required message about your account, so it cannot be unsubscribed from. {preferences}',
    unsubscribe: 'Unsubscribe',
    unsubscribeKind: 'Unsubscribe from this kind of email',
    preferences: 'Manage your email preferences',
    sentTo: 'This email was sent to {email}.',
  },
  de: {
    promotional:
      'Sie erhalten diese E-Mail, weil Sie diese E-Mails abonniert haben. {unsubscribe} &middot; {preferences}',
    optional: 'Sie möchten solche E-Mails nicht mehr erhalten? {unsubscribe} &middot; {preferences}',
    required:
      'Dies ist eine notwendige Nachricht zu Ihrem Konto, daher kann sie nicht abbestellt werden. {preferences}',
    unsubscribe: 'Abbestellen',
    unsubscribeKind: 'Diese Art von E-Mails abbestellen',
    preferences: 'E-Mail-Einstellungen verwalten',
    sentTo: 'Diese E-Mail wurde an {email} gesendet.',
  },
  fr: {
    promotional:
      'Vous recevez cet e-mail car vous vous êtes abonné à ces envois. {unsubscribe} &middot; {preferences}',
    optional: 'Vous ne souhaitez plus recevoir ce type d’e-mail ? {unsubscribe} &middot; {preferences}',
    required:
      'Ce message obligatoire concerne votre compte : il n’est pas possible de s’en désabonner. {preferences}',
    unsubscribe: 'Se désabonner',
    unsubscribeKind: 'Se désabonner de ce type d’e-mail',
    preferences: 'Gérer vos préférences e-mail',
    sentTo: 'Cet e-mail a été envoyé à {email}.',
  },
  es: {
    promotional:
      'Recibes este correo porque te suscribiste a estos envíos. {unsubscribe} &middot; {preferences}',
    optional: '¿No quieres recibir correos como este? {unsubscribe} &middot; {preferences}',
    required:
      'Este es un mensaje obligatorio sobre tu cuenta, por lo que no es posible darse de baja. {preferences}',
    unsubscribe: 'Darse de baja',
    unsubscribeKind: 'Darse de baja de este tipo de correo',
    preferences: 'Gestionar tus preferencias de correo',
    sentTo: 'Este correo se envió a {email}.',
  },
  ja: {
    promotional: 'このメールは、配信を登録された方にお送りしています。{unsubscribe} &middot; {preferences}',
    optional: 'このようなメールが不要な場合：{unsubscribe} &middot; {preferences}',
    required: 'これはお客様のアカウントに関する必須のお知らせのため、配信停止はできません。{preferences}',
    unsubscribe: '配信停止',
    unsubscribeKind: 'この種類のメールの配信を停止',
    preferences: 'メール設定を管理',
    sentTo: 'このメールは {email} 宛てに送信されました。',
  },
  ar: {
    promotional: 'تصلك هذه الرسالة لأنك اشتركت في هذه الرسائل. {unsubscribe} &middot; {preferences}',
    optional: 'لا تريد رسائل كهذه؟ {unsubscribe} &middot; {preferences}',
    required: 'هذه رسالة ضرورية تخص حسابك، لذا لا يمكن إلغاء الاشتراك فيها. {preferences}',
    unsubscribe: 'إلغاء الاشتراك',
    unsubscribeKind: 'إلغاء الاشتراك في هذا النوع من الرسائل',
    preferences: 'إدارة تفضيلات البريد الإلكتروني',
    sentTo: 'أُرسلت هذه الرسالة إلى {email}.',
  },
};
