/** What replaces each kind of secret in a log line. */
const EMAIL = '[email]';
const SECRET = '[secret]';
const TOKEN = '[token]';

// Each pattern is a literal prefix then one character class: linear in the text's length.
const CREDENTIAL = /\b(Bearer|Console)\s+[^\s"',]+/gi;
const LINK_TOKEN = /(\/(?:u|unsubscribe|preferences|account\/sign-in)\/)[^\s/?#"'<>]+/g;
const QUERY_TOKEN = /([?&](?:token|key)=)[^&\s"'<>]+/gi;

const LOCAL_PART_STOP = new Set([...' \t\r\n<>()[]{}"\',;:@/\\=']);
const isDomainChar = (c: string) => /[A-Za-z0-9.-]/.test(c);

/**
 * A log line with no email address, credential, link token or known secret left in it: addresses
 * become "[email]", `Bearer …`/`Console …` credentials and the given secrets (the process's API keys)
 * "[secret]", the token of a /u/, /unsubscribe/, /preferences/ or /account/sign-in/ link "[token]".
 * Linear in the text's length: no backtracking pattern runs over what a peer sent.
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets)
    if (secret.length >= 8 && out.includes(secret)) out = out.replaceAll(secret, SECRET);
  if (out.includes('@')) out = redactEmails(out);
  return out
    .replace(CREDENTIAL, `$1 ${SECRET}`)
    .replace(LINK_TOKEN, `$1${TOKEN}`)
    .replace(QUERY_TOKEN, `$1${TOKEN}`);
}

/** Replaces every local@domain.tld: each character is looked at a bounded number of times. */
function redactEmails(text: string): string {
  let out = '';
  let copied = 0;
  let from = 0;
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', from)) {
    let start = at;
    while (start > copied && !LOCAL_PART_STOP.has(text[start - 1] as string)) start--;
    let end = at + 1;
    while (end < text.length && isDomainChar(text[end] as string)) end++;
    // A trailing dot ends the sentence, not the domain.
    while (end > at + 1 && text[end - 1] === '.') end--;
    const domain = text.slice(at + 1, end);
    if (start < at && domain.includes('.')) {
      out += text.slice(copied, start) + EMAIL;
      copied = end;
      from = end;
    } else {
      from = at + 1;
    }
  }
  return out + text.slice(copied);
}
