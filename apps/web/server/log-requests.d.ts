import type { NextFunction, Request, Response } from 'express';

export function redactPath(path: string): string;
export function writeJsonLog(context: string, msg: string, fields?: Record<string, unknown>): void;
export function logRequests(req: Request, res: Response, next: NextFunction): void;
