import type { DeliveryDeps, MailLane } from './delivery-deps.js';

/**
 * The deps a message of this class is sent with: the stream's lane for its class, when the stream
 * has lanes (DeliveryContext gives it one per class: mail-lanes.ts), else the stream as it is. A
 * promotional message goes through the promotional relay, from the promotional sender, signed with
 * the promotional key, on that relay's send slots and behind the domain throttle; a transactional
 * one through SMTP_URL, whichever queue either came from. Choosing again is harmless.
 */
export function selectLane(deps: DeliveryDeps, messageClass: keyof NonNullable<DeliveryDeps['lanes']>) {
  const lane: MailLane | undefined = deps.lanes?.[messageClass];
  return lane ? { ...deps, ...lane } : deps;
}
