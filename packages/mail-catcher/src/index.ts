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
  WaitOptions,
} from './types.js';
