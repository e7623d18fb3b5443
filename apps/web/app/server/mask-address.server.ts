/**
 * Shows enough of an address for its owner to recognise it (`a••••@example.com`) and little
 * to anyone looking over a shoulder or at a forwarded link.
 */
export function maskAddress(email: string | null): string {
  if (!email) return 'your address';
  const at = email.lastIndexOf('@');
  if (at <= 0) return '••••';
  return `${email.slice(0, 1)}••••${email.slice(at)}`;
}
