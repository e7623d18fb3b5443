/**
 * LOG_FORMAT=json: one JSON line per request, in the API's format (level, time, pid, process,
 * context, msg and fields), with the path's tokens and addresses redacted. The web app's paths carry
 * bearer tokens (/u/:token, /unsubscribe/:token, /preferences/:token, /account/sign-in/:token): a
 * token in a log is a working link to someone's consent. A tracked link's token (/c/:token) names a
 * message and its target, so it is redacted too. The query string is never logged.
 */
const TOKEN_PATH = /^\/(u|unsubscribe|preferences|c|account\/sign-in)\/[^/]+/;

/** The path as a log may show it: the token after a link prefix is ":token", an address segment "[email]". */
export function redactPath(path) {
  const redacted = path.replace(TOKEN_PATH, (_, prefix) => `/${prefix}/:token`);
  return redacted
    .split('/')
    .map((segment) => (segment.includes('@') || /%40/i.test(segment) ? '[email]' : segment))
    .join('/');
}

/** Writes one JSON log line to stdout. */
export function writeJsonLog(context, msg, fields = {}) {
  const line = {
    level: 'info',
    time: new Date().toISOString(),
    pid: process.pid,
    process: 'web',
    context,
    ...fields,
    msg,
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

export function logRequests(req, res, next) {
  const started = process.hrtime.bigint();
  res.once('close', () => {
    const ms = Number((process.hrtime.bigint() - started) / 1000n) / 1000;
    const path = redactPath(req.path);
    writeJsonLog('HTTP', `${req.method} ${path} ${res.statusCode} ${ms} ms`, {
      method: req.method,
      route: path,
      status: res.statusCode,
      ms,
      ...(!res.writableFinished && { aborted: true }),
    });
  });
  next();
}
