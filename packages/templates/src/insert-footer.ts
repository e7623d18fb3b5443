/** Puts the footer just before `</mj-body>`, on the same line, so later lines keep their numbers. */
export function insertFooter(mjml: string, footer: string): string {
  const bodyEnd = mjml.lastIndexOf('</mj-body>');
  if (bodyEnd === -1) {
    throw new Error('MJML has no </mj-body>; check the structure before inserting the footer');
  }
  return mjml.slice(0, bodyEnd) + footer + mjml.slice(bodyEnd);
}
