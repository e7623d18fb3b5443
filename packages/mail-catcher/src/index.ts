export { startMailCatcher } from './start-mail-catcher.js';
export type {
  CaughtMessage,
  Envelope,
  HeaderField,
  KeepMode,
  MailCatcher,
  MailCatcherOptions,
  RcptHandler,
  RcptRejection,
  SmtpStage,
  WaitOptions,
} from './types.js';
