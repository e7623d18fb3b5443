import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { PreferencesError } from '@herald/preferences';
import { TemplateDataError, TemplateSourceError } from '@herald/templates';
import type { Response } from 'express';
import { DomainError, type ErrorCode } from './domain-error.js';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** The HTTP status of each domain error code: the API's and the consent domain's (@herald/preferences). */
const STATUS: Record<ErrorCode | PreferencesError['code'], number> = {
  invalid_request: 400,
  unauthorized: 401,
  // A caller the API knows, without the scope the route needs.
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  contact_erased: 409,
  version_exists: 409,
  invalid_transition: 409,
  idempotency_key_reused: 409,
  policy_already_effective: 409,
  unknown_template: 422,
  unknown_contact: 422,
  unknown_category: 422,
  not_promotional: 422,
  audience_without_template_category: 422,
  audience_category_not_promotional: 422,
  send_at_required: 422,
  send_at_in_past: 422,
  effective_date_in_past: 422,
  effective_date_too_soon: 422,
  category_mismatch: 422,
  reserved_variable: 422,
  fixture_does_not_render: 422,
  variant_variables: 422,
  // A provider webhook whose signature or credentials do not verify, or that has no key configured.
  invalid_signature: 401,
  webhook_not_configured: 401,
  not_suppressed: 404,
  'unknown-contact': 404,
  'unknown-category': 422,
  'required-category': 422,
  'erased-contact': 409,
  // Only new consent ends an erasure suppression, never DELETE /v1/suppressions.
  'erasure-not-removable': 409,
  'invalid-input': 400,
};

/** Maps every error to the API's error format (docs/architecture.md), once, at the edge. Unexpected errors are logged and answered 500. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const [status, body] = errorResponse(exception);
    if (status >= 500) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    response.status(status).json(body);
  }
}

/**
 * The status and body the API answers an error with. Also used per item by POST /v1/messages/batch,
 * whose items answer with the error a single send would.
 */
export function errorResponse(exception: unknown): [number, ErrorBody] {
  if (exception instanceof DomainError) {
    return [STATUS[exception.code], body(exception.code, exception.message, exception.details)];
  }
  if (exception instanceof PreferencesError) {
    return [STATUS[exception.code], body(exception.code.replaceAll('-', '_'), exception.message)];
  }
  if (exception instanceof TemplateSourceError) {
    return [422, body('invalid_template', exception.message, exception.errors)];
  }
  if (exception instanceof TemplateDataError) {
    return [422, body('invalid_template_data', exception.message, { variable: exception.variable })];
  }
  // Nest wraps body-parser's errors in an HttpException whose cause is the original.
  const bodyParserError =
    asBodyParserError(exception) ??
    (exception instanceof HttpException ? asBodyParserError(exception.cause) : null);
  if (bodyParserError) return bodyParserError;
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const code = status === 404 ? 'not_found' : status === 405 ? 'method_not_allowed' : 'http_error';
    const message = status === 404 ? 'No such endpoint.' : exception.message;
    return [status, body(code, message)];
  }
  return [
    500,
    body('internal_error', 'Something went wrong on our side; nothing was changed by this request.'),
  ];
}

function body(code: string, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/** Errors thrown by Express' body parser before any handler runs (bad JSON, too large, wrong charset). */
function asBodyParserError(exception: unknown): [number, ErrorBody] | null {
  if (exception instanceof URIError)
    return [400, body('bad_request', 'The request path is not valid URL encoding.')];
  if (typeof exception !== 'object' || exception === null || !('type' in exception)) return null;
  const { type, status } = exception as { type: unknown; status?: unknown };
  switch (type) {
    case 'entity.too.large':
      return [413, body('payload_too_large', 'The request body is larger than the API accepts.')];
    case 'entity.parse.failed':
      return [400, body('invalid_json', 'The request body is not valid JSON.')];
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return [415, body('unsupported_encoding', 'The request body must be UTF-8 JSON.')];
    default:
      return typeof status === 'number' && status >= 400 && status < 500
        ? [status, body('bad_request', 'The request body could not be read.')]
        : null;
  }
}
